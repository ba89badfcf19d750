#pragma once
// Result<T>: a value or a core::Error (boost::system::result). Status = Result<void>.
#include <boost/system/result.hpp>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "core/error.hpp"

namespace tickler::core {

template <class T>
using Result = boost::system::result<T, Error>;
using Status = Result<void>;

// Found by ADL when .value() is called on an error Result: that is a bug, so it throws.
[[noreturn]] inline void throw_exception_from_error(const Error& e,
                                                    const boost::source_location& /*loc*/) {
  throw std::logic_error("unchecked error result: " + e.message);
}

// Found by ADL when background work returning Result<T> throws (base::Offload): a bug, reported
// as an internal error instead of taking the process down.
template <class T>
Result<T> from_exception(std::type_identity<Result<T>> /*tag*/, const std::exception& e) {
  return make_error(Errc::internal, std::string{"internal error: "} + e.what());
}

}  // namespace tickler::core

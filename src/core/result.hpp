#pragma once
// Result<T>: a value or a core::Error (boost::system::result). Status = Result<void>.
#include <boost/system/result.hpp>
#include <stdexcept>

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

}  // namespace tickler::core

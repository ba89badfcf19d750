#pragma once
// Password hashing with argon2id (libsodium crypto_pwhash_str, interactive limits). Both calls
// take tens of milliseconds and 64 MiB: run them off the I/O threads.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tickler::auth {

[[nodiscard]] core::Result<std::string> hash_password(std::string_view password);
[[nodiscard]] bool verify_password(std::string_view hash, std::string_view password);
// Spends the same work as a failed verify, so an unknown email is not faster than a bad password.
void verify_password_dummy(std::string_view password);

}  // namespace tickler::auth

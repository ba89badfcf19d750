#pragma once
// Hex digests (libsodium SHA-256, OpenSSL HMAC-SHA256) for request fingerprints, the audit hash
// chain and webhook signatures.
#include <string>
#include <string_view>

namespace tickler::auth {

[[nodiscard]] std::string sha256_hex(std::string_view bytes);
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace tickler::auth

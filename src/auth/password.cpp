#include "auth/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace tickler::auth {

core::Result<std::string> hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::make_error(core::Errc::unavailable, "out of memory while hashing the password");
  }
  return std::string{out};
}

bool verify_password(std::string_view hash, std::string_view password) {
  const std::string h{hash};  // needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void verify_password_dummy(std::string_view password) {
  static const std::string dummy = [] {
    auto h = hash_password("tickler-dummy-password");
    if (!h) throw std::runtime_error("cannot hash the dummy password");
    return *h;
  }();
  (void)verify_password(dummy, password);
}

}  // namespace tickler::auth

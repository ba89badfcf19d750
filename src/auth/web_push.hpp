#pragma once
// Web Push cryptography, all of it through OpenSSL's EVP interfaces: the message encryption of
// RFC 8291 (aes128gcm content coding of RFC 8188: ECDH on P-256 with the subscription's p256dh
// key, HKDF-SHA-256 with its auth secret, AES-128-GCM, one record ending in the padding
// delimiter) and the VAPID application server key of RFC 8292 (a P-256 key, kept as PEM; its
// public key as the uncompressed point in base64url; an ES256 JWT for the Authorization header).
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace tickler::auth {

// What a push subscription gives to encrypt for it (RFC 8291 §2): the user agent's public key
// (p256dh: a 65-byte uncompressed P-256 point) and its 16-byte authentication secret.
struct PushTarget {
  std::string p256dh;  // raw bytes
  std::string auth;    // raw bytes
};

// Checks a subscription's keys as the browser sends them (base64url, padded or not): p256dh a
// point on P-256, auth 16 bytes. Answers them decoded; invalid_parameter naming the bad one.
[[nodiscard]] core::Result<PushTarget> push_target(std::string_view p256dh_b64,
                                                   std::string_view auth_b64);

// The fixed inputs of an encryption, for tests (the RFC's vector): the sender's ephemeral private
// key (32-byte scalar) and the salt. Left empty, both are fresh random values, as they must be.
struct PushEncryptionFixture {
  std::string sender_private;  // raw scalar
  std::string salt;            // 16 bytes
};

// The aes128gcm body of a push message carrying `plaintext` to `target`: header (salt, record
// size 4096, the sender's public key as key id) and one record (plaintext, the 0x02 delimiter,
// `padding` zero bytes). The plaintext must fit one record (at most 3993 bytes with no padding).
[[nodiscard]] core::Result<std::string> encrypt_push_message(
    const PushTarget& target, std::string_view plaintext, std::size_t padding = 0,
    const PushEncryptionFixture& fixture = {});

// The instance's VAPID key (RFC 8292): a P-256 key pair. Generated once, kept as PEM (PKCS#8 when
// this class writes it; SEC 1 "EC PRIVATE KEY", as Helm's genPrivateKey makes, is read too).
class VapidKey {
 public:
  // A fresh key.
  [[nodiscard]] static core::Result<VapidKey> generate();
  // invalid_parameter when `pem` is not a P-256 private key.
  [[nodiscard]] static core::Result<VapidKey> from_pem(std::string_view pem);

  [[nodiscard]] std::string pem() const;
  // The public key as the browser's applicationServerKey: the uncompressed point, base64url.
  [[nodiscard]] const std::string& public_key() const { return public_key_; }
  // The JWT of the Authorization header: ES256, {"aud": audience (the push endpoint's origin),
  // "exp": now + ttl (at most 24 h), "sub": subject (mailto: or https:)}.
  [[nodiscard]] core::Result<std::string> jwt(std::string_view audience, std::string_view subject,
                                              core::Instant now,
                                              std::chrono::seconds ttl = std::chrono::hours{
                                                  12}) const;
  // "vapid t=<jwt>, k=<public key>".
  [[nodiscard]] core::Result<std::string> authorization(std::string_view audience,
                                                        std::string_view subject,
                                                        core::Instant now) const;

 private:
  // Takes ownership of `key`.
  explicit VapidKey(evp_pkey_st* key);
  std::shared_ptr<evp_pkey_st> key_;
  std::string public_key_;
};

// The origin of an absolute http(s) URL ("https://push.example.net:8443"), the audience of a
// VAPID JWT; nullopt for anything else.
[[nodiscard]] std::optional<std::string> url_origin(std::string_view url);

}  // namespace tickler::auth

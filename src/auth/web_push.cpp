#include "auth/web_push.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <boost/json.hpp>
#include <cctype>

#include "auth/jwt.hpp"

namespace tickler::auth {
namespace {

constexpr std::size_t k_point_size = 65;     // uncompressed P-256 point
constexpr std::size_t k_record_size = 4096;  // rs of the aes128gcm header
constexpr std::size_t k_tag_size = 16;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct CipherFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct MdFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct KdfFree {
  void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

core::Error crypto_error(std::string what) {
  return core::make_error(core::Errc::internal, "web push crypto: " + std::move(what));
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

char group_name[] = "P-256";

// A P-256 key from its parts: the public point, and the private scalar when given.
Pkey ec_key(std::string_view point, std::string_view scalar = {}) {
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld{OSSL_PARAM_BLD_new()};
  std::unique_ptr<BIGNUM, BnFree> priv;
  if (!bld) return {};
  OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0);
  OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  if (!scalar.empty()) {
    priv.reset(BN_bin2bn(bytes(scalar), static_cast<int>(scalar.size()), nullptr));
    if (!priv) return {};
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get());
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params{OSSL_PARAM_BLD_to_param(bld.get())};
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx{EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr)};
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, scalar.empty() ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                        params.get()) <= 0) {
    return {};
  }
  Pkey out{key};
  // fromdata does not check that the point lies on the curve.
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> check{EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)};
  if (!check || EVP_PKEY_public_check(check.get()) <= 0) return {};
  return out;
}

Pkey generate_p256() {
  return Pkey{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group_name)};
}

std::string public_point(EVP_PKEY* key) {
  std::string out(k_point_size, '\0');
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                      reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                      &len) <= 0 ||
      len != k_point_size) {
    return {};
  }
  return out;
}

core::Result<std::string> ecdh(EVP_PKEY* own, EVP_PKEY* peer) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx{EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr)};
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer) <= 0 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) <= 0) {
    return crypto_error("ECDH failed");
  }
  std::string out(len, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len) <= 0) {
    return crypto_error("ECDH failed");
  }
  out.resize(len);
  return out;
}

// HKDF-SHA-256 (RFC 5869): extract with `salt`, expand with `info` to `length` bytes.
core::Result<std::string> hkdf(std::string_view salt, std::string_view ikm, std::string_view info,
                               std::size_t length) {
  std::unique_ptr<EVP_KDF, KdfFree> kdf{EVP_KDF_fetch(nullptr, "HKDF", nullptr)};
  if (!kdf) return crypto_error("no HKDF");
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx{EVP_KDF_CTX_new(kdf.get())};
  if (!ctx) return crypto_error("no HKDF");
  char digest[] = "SHA256";
  std::string s{salt}, k{ikm}, i{info};
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, k.data(), k.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, s.data(), s.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, i.data(), i.size()),
      OSSL_PARAM_construct_end()};
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), length, params) <=
      0) {
    return crypto_error("HKDF failed");
  }
  return out;
}

core::Result<std::string> aes128gcm(std::string_view key, std::string_view nonce,
                                    std::string_view plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherFree> ctx{EVP_CIPHER_CTX_new()};
  std::string out(plaintext.size() + k_tag_size, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  int total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &len, bytes(plaintext), static_cast<int>(plaintext.size())) !=
          1) {
    return crypto_error("AES-128-GCM failed");
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), o + total, &len) != 1) return crypto_error("AES-GCM final");
  total += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(k_tag_size),
                          o + total) != 1) {
    return crypto_error("AES-GCM tag");
  }
  out.resize(static_cast<std::size_t>(total) + k_tag_size);
  return out;
}

std::optional<std::string> decode_key(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return base64url_decode(text);
}

}  // namespace

core::Result<PushTarget> push_target(std::string_view p256dh_b64, std::string_view auth_b64) {
  auto point = decode_key(p256dh_b64);
  if (!point || point->size() != k_point_size || (*point)[0] != 0x04 || !ec_key(*point)) {
    return core::field_error("keys.p256dh",
                             "must be the subscription's P-256 public key (base64url)");
  }
  auto secret = decode_key(auth_b64);
  if (!secret || secret->size() != 16) {
    return core::field_error("keys.auth", "must be the subscription's 16-byte secret (base64url)");
  }
  return PushTarget{std::move(*point), std::move(*secret)};
}

core::Result<std::string> encrypt_push_message(const PushTarget& target, std::string_view plaintext,
                                               std::size_t padding,
                                               const PushEncryptionFixture& fixture) {
  // One record, and the whole body within the 4096 bytes a push service must accept (RFC 8291
  // §4): header (86), plaintext, delimiter, padding, tag.
  if (86 + plaintext.size() + 1 + padding + k_tag_size > k_record_size) {
    return core::make_error(core::Errc::invalid_parameter, "a push message is at most 3993 bytes");
  }
  auto peer = ec_key(target.p256dh);
  if (!peer) return core::make_error(core::Errc::invalid_parameter, "bad p256dh key");
  Pkey own;
  if (fixture.sender_private.empty()) {
    own = generate_p256();
  } else {
    // The test vector gives the scalar; its public point comes from a derivation by OpenSSL.
    std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group{
        EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), &EC_GROUP_free};
    std::unique_ptr<BIGNUM, BnFree> d{BN_bin2bn(
        bytes(fixture.sender_private), static_cast<int>(fixture.sender_private.size()), nullptr)};
    std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> q{EC_POINT_new(group.get()),
                                                          &EC_POINT_free};
    std::string point(k_point_size, '\0');
    if (!group || !d || !q ||
        EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, nullptr) != 1 ||
        EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED,
                           reinterpret_cast<unsigned char*>(point.data()), point.size(),
                           nullptr) != k_point_size) {
      return crypto_error("bad fixture key");
    }
    own = ec_key(point, fixture.sender_private);
  }
  if (!own) return crypto_error("cannot make the sender's key");
  const auto sender_public = public_point(own.get());
  if (sender_public.empty()) return crypto_error("cannot read the sender's key");
  auto shared = ecdh(own.get(), peer.get());
  if (!shared) return shared.error();

  std::string salt = fixture.salt;
  if (salt.empty()) {
    salt.resize(16);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 16) != 1) {
      return crypto_error("no random bytes");
    }
  }
  // RFC 8291 §3.4: key_info = "WebPush: info" || 0x00 || ua_public || as_public.
  std::string key_info{"WebPush: info"};
  key_info.push_back('\0');
  key_info += target.p256dh;
  key_info += sender_public;
  auto ikm = hkdf(target.auth, *shared, key_info, 32);
  if (!ikm) return ikm.error();
  // RFC 8188 §2.2, 2.3: the content-encryption key and the nonce (one record: sequence 0).
  auto cek = hkdf(salt, *ikm, std::string_view{"Content-Encoding: aes128gcm\0", 28}, 16);
  if (!cek) return cek.error();
  auto nonce = hkdf(salt, *ikm, std::string_view{"Content-Encoding: nonce\0", 24}, 12);
  if (!nonce) return nonce.error();
  std::string record{plaintext};
  record.push_back('\x02');  // the last record's delimiter
  record.append(padding, '\0');
  auto sealed = aes128gcm(*cek, *nonce, record);
  if (!sealed) return sealed.error();

  std::string out = salt;
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((k_record_size >> shift) & 0xff));
  }
  out.push_back(static_cast<char>(k_point_size));
  out += sender_public;
  out += *sealed;
  return out;
}

VapidKey::VapidKey(evp_pkey_st* key)
    : key_(key, [](EVP_PKEY* k) { EVP_PKEY_free(k); }),
      public_key_(base64url_encode(public_point(key))) {}

core::Result<VapidKey> VapidKey::generate() {
  auto key = generate_p256();
  if (!key) return crypto_error("cannot generate a P-256 key");
  return VapidKey{key.release()};
}

core::Result<VapidKey> VapidKey::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) return crypto_error("no memory");
  Pkey key{PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)};
  char name[32] = {};
  std::size_t len = 0;
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name,
                                     &len) <= 0 ||
      (std::string_view{name} != "prime256v1" && std::string_view{name} != "P-256")) {
    return core::make_error(core::Errc::invalid_parameter,
                            "the VAPID key must be a P-256 private key in PEM");
  }
  return VapidKey{key.release()};
}

std::string VapidKey::pem() const {
  std::unique_ptr<BIO, BioFree> bio{BIO_new(BIO_s_mem())};
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  // BIO_get_mem_data, without its macro's cast.
  const long len = BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, static_cast<void*>(&data));
  if (len <= 0 || !data) return {};
  return std::string(data, static_cast<std::size_t>(len));
}

core::Result<std::string> VapidKey::jwt(std::string_view audience, std::string_view subject,
                                        core::Instant now, std::chrono::seconds ttl) const {
  ttl = std::min<std::chrono::seconds>(ttl, std::chrono::hours{24});
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch() + ttl);
  const boost::json::object claims{{"aud", audience}, {"exp", exp.count()}, {"sub", subject}};
  const std::string input = base64url_encode(R"({"typ":"JWT","alg":"ES256"})") + "." +
                            base64url_encode(boost::json::serialize(claims));
  std::unique_ptr<EVP_MD_CTX, MdFree> md{EVP_MD_CTX_new()};
  std::size_t len = 0;
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &len, bytes(input), input.size()) != 1) {
    return crypto_error("ES256 signing failed");
  }
  std::string der(len, '\0');
  auto* d = reinterpret_cast<unsigned char*>(der.data());
  if (EVP_DigestSign(md.get(), d, &len, bytes(input), input.size()) != 1) {
    return crypto_error("ES256 signing failed");
  }
  // JWS wants r || s, 32 bytes each (RFC 7518 §3.4), not OpenSSL's DER.
  const unsigned char* p = d;
  std::unique_ptr<ECDSA_SIG, SigFree> sig{d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len))};
  if (!sig) return crypto_error("ES256 signature unreadable");
  std::string raw(64, '\0');
  auto* r = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), r, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), r + 32, 32) != 32) {
    return crypto_error("ES256 signature too long");
  }
  return input + "." + base64url_encode(raw);
}

core::Result<std::string> VapidKey::authorization(std::string_view audience,
                                                  std::string_view subject,
                                                  core::Instant now) const {
  auto token = jwt(audience, subject, now);
  if (!token) return token.error();
  return "vapid t=" + *token + ", k=" + public_key_;
}

std::optional<std::string> url_origin(std::string_view url) {
  std::string_view scheme;
  if (url.starts_with("https://")) {
    scheme = "https://";
  } else if (url.starts_with("http://")) {
    scheme = "http://";
  } else {
    return std::nullopt;
  }
  auto rest = url.substr(scheme.size());
  const auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string out{scheme};
  for (char c : authority)
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace tickler::auth

#include "auth/web_push.hpp"

#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json.hpp>

#include "auth/jwt.hpp"

namespace tickler::auth {
namespace {

std::string b64(std::string_view text) {
  return base64url_decode(text).value();
}

// RFC 8291 Appendix A.
TEST(WebPush, EncryptsTheRfc8291Vector) {
  auto target = push_target(
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
      "BTBZMqHH6r4Tts7J_aSIgg");
  ASSERT_TRUE(target) << target.error().message;
  const PushEncryptionFixture fixture{b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"),
                                      b64("DGv6ra1nlYgDCS1FRnbzlw")};
  auto body =
      encrypt_push_message(*target, "When I grow up, I want to be a watermelon", 0, fixture);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(
      base64url_encode(*body),
      "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmY"
      "WAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSg"
      "Sxsj_Qulcy4a-fN");
}

TEST(WebPush, FreshEncryptionsDifferAndPad) {
  auto target = push_target(
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4=",
      "BTBZMqHH6r4Tts7J_aSIgg==");
  ASSERT_TRUE(target);
  auto a = encrypt_push_message(*target, "hello");
  auto b = encrypt_push_message(*target, "hello", 10);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->substr(0, 16), b->substr(0, 16));  // fresh salt
  EXPECT_EQ(a->size(), 16u + 4 + 1 + 65 + 5 + 1 + 16);
  EXPECT_EQ(b->size(), a->size() + 10u);
  EXPECT_TRUE(encrypt_push_message(*target, std::string(3993, 'x')));
  EXPECT_FALSE(encrypt_push_message(*target, std::string(3994, 'x')));
}

TEST(WebPush, RefusesBadSubscriptionKeys) {
  EXPECT_FALSE(push_target("BAAA", "BTBZMqHH6r4Tts7J_aSIgg"));
  // 65 bytes starting with 04, but not a point on the curve.
  EXPECT_FALSE(
      push_target(base64url_encode("\x04" + std::string(64, '\x01')), "BTBZMqHH6r4Tts7J_aSIgg"));
  auto short_auth = push_target(
      "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
      "BTBZ");
  ASSERT_FALSE(short_auth);
  EXPECT_NE(short_auth.error().message.find("keys.auth"), std::string::npos);
}

// The JWT's shape (RFC 8292 §2) and an ES256 signature that verifies with the public key.
TEST(WebPush, VapidJwtIsEs256WithAudienceExpiryAndSubject) {
  auto key = VapidKey::generate();
  ASSERT_TRUE(key);
  const auto now = core::now();
  auto token = key->jwt("https://push.example.net", "mailto:ops@example.com", now);
  ASSERT_TRUE(token);
  const auto first = token->find('.');
  const auto second = token->rfind('.');
  ASSERT_NE(first, second);
  const auto header = boost::json::parse(b64(token->substr(0, first))).as_object();
  EXPECT_EQ(header.at("alg"), "ES256");
  EXPECT_EQ(header.at("typ"), "JWT");
  const auto claims =
      boost::json::parse(b64(token->substr(first + 1, second - first - 1))).as_object();
  EXPECT_EQ(claims.at("aud"), "https://push.example.net");
  EXPECT_EQ(claims.at("sub"), "mailto:ops@example.com");
  const auto exp = claims.at("exp").as_int64();
  const auto unix_now =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  EXPECT_GT(exp, unix_now);
  EXPECT_LE(exp, unix_now + 24 * 3600);
  // The 64-byte r || s signature verifies against the public key (as a DER ECDSA signature).
  const auto raw = b64(token->substr(second + 1));
  ASSERT_EQ(raw.size(), 64u);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                 BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  const auto pem = key->pem();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const auto input = token->substr(0, second);
  ASSERT_EQ(EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, pkey), 1);
  EXPECT_EQ(EVP_DigestVerify(md, der, static_cast<std::size_t>(der_len),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(pkey);
  OPENSSL_free(der);
  // The expiry never passes 24 hours.
  auto long_lived =
      key->jwt("https://a.example", "mailto:a@example.com", now, std::chrono::hours{48});
  ASSERT_TRUE(long_lived);
  const auto f = long_lived->find('.');
  const auto l = long_lived->rfind('.');
  EXPECT_EQ(boost::json::parse(b64(long_lived->substr(f + 1, l - f - 1))).as_object().at("exp"),
            unix_now + 24 * 3600);
}

TEST(WebPush, VapidKeyRoundTripsThroughPemAndReadsSec1) {
  auto key = VapidKey::generate();
  ASSERT_TRUE(key);
  EXPECT_EQ(b64(key->public_key()).size(), 65u);
  auto again = VapidKey::from_pem(key->pem());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_key(), key->public_key());
  auto auth = key->authorization("https://push.example.net", "mailto:a@example.com", core::now());
  ASSERT_TRUE(auth);
  EXPECT_TRUE(auth->starts_with("vapid t="));
  EXPECT_TRUE(auth->ends_with(", k=" + key->public_key()));
  // An "EC PRIVATE KEY" (SEC 1), as Helm's genPrivateKey "ecdsa" writes.
  const std::string sec1 =
      "-----BEGIN EC PRIVATE KEY-----\n"
      "MHcCAQEEIJGuSqFh2njn4EQnu0a3Ot1PjBCLVAOtRYyLmAm1FQBToAoGCCqGSM49\n"
      "AwEHoUQDQgAEMuhWJZ9bMgKN/LuDz1M8gTOP52POYuzl+qoRU+Q8E3Ogf3ITDfrK\n"
      "P65EwbulxLDQ2tJrS3CIVklbAU9JMrH83Q==\n"
      "-----END EC PRIVATE KEY-----\n";
  auto helm = VapidKey::from_pem(sec1);
  ASSERT_TRUE(helm);
  EXPECT_EQ(b64(helm->public_key()).size(), 65u);
  EXPECT_FALSE(VapidKey::from_pem("not a key"));
}

TEST(WebPush, UrlOrigin) {
  EXPECT_EQ(url_origin("https://Push.Example.net/wpush/v2/abc?x=1"), "https://push.example.net");
  EXPECT_EQ(url_origin("http://127.0.0.1:8443/p/1"), "http://127.0.0.1:8443");
  EXPECT_FALSE(url_origin("ftp://x/"));
  EXPECT_FALSE(url_origin("https:///x"));
}

}  // namespace
}  // namespace tickler::auth

#include "services/api/oauth_service.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::services::api::oauth {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view k_base = "http://127.0.0.1:8080";
const std::string k_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string k_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const std::string k_redirect = "http://127.0.0.1:5000/callback";

// A query parameter of a URL.
std::string param(std::string_view url, std::string_view name) {
  auto u = boost::urls::parse_uri_reference(url);
  if (!u) return {};
  for (const auto& p : u->params()) {
    if (p.key == name) return p.value;
  }
  return {};
}

// "Basic base64(id:secret)".
std::string basic_header(const std::string& id, const std::string& secret) {
  const std::string raw = id + ":" + secret;
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return "Basic " + out;
}

class OAuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    auto u = store_->write_value([](store::Writer& w) {
      return w.insert_user({0, "ann@example.com", "Ann", "h", core::now()});
    });
    ASSERT_TRUE(u);
    ann_ = u->id;
    auto v = store_->write_value([](store::Writer& w) {
      return w.insert_user({0, "bob@example.com", "Bob", "h", core::now()});
    });
    ASSERT_TRUE(v);
    bob_ = v->id;
  }

  OAuthService service(const std::function<void(OAuthSettings&)>& edit = {}) {
    OAuthSettings s;
    s.signing_key = "k";
    if (edit) edit(s);
    return OAuthService{std::move(s), *store_};
  }

  // A public client with refresh tokens.
  std::string register_client(OAuthService& oauth, const std::string& extra = {}) {
    auto body =
        boost::json::parse(R"({"redirect_uris":[")" + k_redirect +
                           R"("],"client_name":"Test App","token_endpoint_auth_method":"none",
        "grant_types":["authorization_code","refresh_token"])" +
                           extra + "}")
            .as_object();
    auto answer = oauth.register_client(body, "1.2.3.4");
    EXPECT_TRUE(answer) << answer.error().message;
    return answer ? std::string{answer->at("client_id").as_string()} : std::string{};
  }

  Form authorize_query(const std::string& client_id) {
    return {{"response_type", "code"},           {"client_id", client_id},
            {"redirect_uri", k_redirect},        {"state", "xyz"},
            {"code_challenge", k_challenge},     {"code_challenge_method", "S256"},
            {"scope", "tasks:read tasks:write"}, {"resource", std::string{k_base} + "/mcp"}};
  }

  // Authorize, consent as `user`: the code.
  std::string code_for(OAuthService& oauth, const std::string& client_id, core::UserId user) {
    auto location = oauth.authorize(authorize_query(client_id), k_base);
    EXPECT_TRUE(location) << location.error().message;
    if (!location) return {};
    EXPECT_TRUE(location->starts_with(std::string{k_base} + "/oauth/consent?request="))
        << *location;
    auto back = oauth.decide(user, param(*location, "request"), true);
    EXPECT_TRUE(back) << back.error().message;
    if (!back) return {};
    EXPECT_TRUE(back->starts_with(k_redirect + "?code=")) << *back;
    EXPECT_EQ(param(*back, "state"), "xyz");
    EXPECT_EQ(param(*back, "iss"), k_base);
    return param(*back, "code");
  }

  Form exchange(const std::string& client_id, const std::string& code,
                const std::string& verifier = k_verifier,
                const std::string& redirect = k_redirect) {
    return {{"grant_type", "authorization_code"},
            {"code", code},
            {"client_id", client_id},
            {"redirect_uri", redirect},
            {"code_verifier", verifier},
            {"resource", std::string{k_base} + "/mcp"}};
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-oauth"};
  std::unique_ptr<store::sqlite::SqliteStore>& store_ = scratch_.store;
  core::UserId ann_ = 0;
  core::UserId bob_ = 0;
};

TEST_F(OAuthServiceTest, CodeThenTokensThenAuthenticatedAsTheClient) {
  auto oauth = service();
  const auto client = register_client(oauth);
  const auto code = code_for(oauth, client, ann_);
  auto tokens = oauth.token(exchange(client, code), "");
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_TRUE(tokens->access_token.starts_with("tkl_oat_"));
  EXPECT_TRUE(tokens->refresh_token.starts_with("tkl_ort_"));
  EXPECT_EQ(tokens->expires_in, 3600);
  EXPECT_EQ(tokens->scope, "tasks:read tasks:write");
  auto access = oauth.authenticate(tokens->access_token);
  ASSERT_TRUE(access) << access.error().message;
  EXPECT_EQ(access->user, ann_);
  EXPECT_EQ(access->actor, "mcp:Test App");
  EXPECT_EQ(access->audience, std::string{k_base} + "/mcp");
  EXPECT_EQ(join_scopes(access->scopes), "tasks:read tasks:write");
  auto grants = oauth.grants(ann_);
  ASSERT_TRUE(grants);
  ASSERT_EQ(grants->size(), 1U);
  EXPECT_TRUE((*grants)[0].grant.last_used_at);
  EXPECT_FALSE(oauth.authenticate("tkl_oat_unknown"));
  EXPECT_FALSE(oauth.authenticate(tokens->refresh_token));
}

TEST_F(OAuthServiceTest, ACodeNeedsItsVerifierAndRedirectAndWorksOnce) {
  auto oauth = service();
  const auto client = register_client(oauth);
  const auto code = code_for(oauth, client, ann_);
  const auto other_verifier = std::string(43, 'a');
  for (auto [form, why] :
       {std::pair{exchange(client, code, other_verifier), "wrong verifier"},
        std::pair{exchange(client, code, k_verifier, "http://127.0.0.1:5000/other"),
                  "wrong redirect"}}) {
    auto refused = oauth.token(form, "");
    ASSERT_FALSE(refused) << why;
    EXPECT_EQ(refused.error().code_name, "invalid_grant") << why;
  }
  auto first = oauth.token(exchange(client, code), "");
  ASSERT_TRUE(first) << first.error().message;
  auto again = oauth.token(exchange(client, code), "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code_name, "invalid_grant");
  // The reused code took back what it gave.
  EXPECT_FALSE(oauth.authenticate(first->access_token));
  auto refresh = oauth.token({{"grant_type", "refresh_token"},
                              {"refresh_token", first->refresh_token},
                              {"client_id", client}},
                             "");
  EXPECT_FALSE(refresh);
}

TEST_F(OAuthServiceTest, RefreshRotatesAndAReusedRefreshTokenRevokesTheGrant) {
  auto oauth = service();
  const auto client = register_client(oauth);
  auto tokens = oauth.token(exchange(client, code_for(oauth, client, ann_)), "");
  ASSERT_TRUE(tokens);
  const Form refresh{{"grant_type", "refresh_token"},
                     {"refresh_token", tokens->refresh_token},
                     {"client_id", client},
                     {"scope", "tasks:read"}};
  auto rotated = oauth.token(refresh, "");
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_NE(rotated->refresh_token, tokens->refresh_token);
  EXPECT_EQ(rotated->scope, "tasks:read");
  auto narrowed = oauth.authenticate(rotated->access_token);
  ASSERT_TRUE(narrowed);
  EXPECT_EQ(join_scopes(narrowed->scopes), "tasks:read");
  EXPECT_TRUE(oauth.authenticate(tokens->access_token));

  auto reused = oauth.token(refresh, "");
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code_name, "invalid_grant");
  EXPECT_FALSE(oauth.authenticate(rotated->access_token));
  EXPECT_FALSE(oauth.authenticate(tokens->access_token));
  auto grants = oauth.grants(ann_);
  ASSERT_TRUE(grants);
  EXPECT_TRUE(grants->empty());
  // A wider scope than the token's is refused.
  auto fresh = oauth.token(exchange(client, code_for(oauth, client, ann_)), "");
  ASSERT_TRUE(fresh);
  auto narrow = oauth.token({{"grant_type", "refresh_token"},
                             {"refresh_token", fresh->refresh_token},
                             {"client_id", client},
                             {"scope", "tasks:read"}},
                            "");
  ASSERT_TRUE(narrow);
  auto wider = oauth.token({{"grant_type", "refresh_token"},
                            {"refresh_token", narrow->refresh_token},
                            {"client_id", client},
                            {"scope", "tasks:read tasks:write"}},
                           "");
  ASSERT_FALSE(wider);
  EXPECT_EQ(wider.error().code_name, "invalid_scope");
}

TEST_F(OAuthServiceTest, RevocationIsSeenHereAtOnceAndElsewhereWithinTheCacheTtl) {
  auto here = service([](auto& s) { s.token_cache_ttl = 50ms; });
  auto elsewhere = service([](auto& s) { s.token_cache_ttl = 50ms; });
  const auto client = register_client(here);
  auto tokens = here.token(exchange(client, code_for(here, client, ann_)), "");
  ASSERT_TRUE(tokens);
  ASSERT_TRUE(elsewhere.authenticate(tokens->access_token));
  auto grants = here.grants(ann_);
  ASSERT_TRUE(grants && grants->size() == 1);
  const auto id = (*grants)[0].grant.id;
  auto by_bob = here.revoke_grant(bob_, id);
  ASSERT_FALSE(by_bob);
  EXPECT_EQ(by_bob.error().code, core::Errc::not_found);
  ASSERT_TRUE(here.revoke_grant(ann_, id));
  EXPECT_FALSE(here.authenticate(tokens->access_token));
  std::this_thread::sleep_for(60ms);
  EXPECT_FALSE(elsewhere.authenticate(tokens->access_token));
}

TEST_F(OAuthServiceTest, TheRevocationEndpointTakesAccessOrRefreshTokensOfItsClientOnly) {
  auto oauth = service();
  const auto client = register_client(oauth);
  const auto other = register_client(oauth);
  auto tokens = oauth.token(exchange(client, code_for(oauth, client, ann_)), "");
  ASSERT_TRUE(tokens);
  ASSERT_TRUE(oauth.revoke({{"client_id", other}, {"token", tokens->access_token}}, ""));
  EXPECT_TRUE(oauth.authenticate(tokens->access_token));
  ASSERT_TRUE(oauth.revoke({{"client_id", client}, {"token", tokens->access_token}}, ""));
  EXPECT_FALSE(oauth.authenticate(tokens->access_token));
  ASSERT_TRUE(oauth.revoke({{"client_id", client}, {"token", "nothing"}}, ""));
  ASSERT_TRUE(oauth.revoke({{"client_id", client}, {"token", tokens->refresh_token}}, ""));
  auto grants = oauth.grants(ann_);
  ASSERT_TRUE(grants);
  EXPECT_TRUE(grants->empty());
  auto unknown_client = oauth.revoke({{"client_id", "nope"}, {"token", "x"}}, "");
  ASSERT_FALSE(unknown_client);
  EXPECT_EQ(unknown_client.error().code_name, "invalid_client");
}

TEST_F(OAuthServiceTest, ConfidentialClientsAuthenticateWithTheirSecret) {
  auto oauth = service();
  auto answer = oauth.register_client(
      boost::json::parse(R"({"redirect_uris":[")" + k_redirect + R"("],"client_name":"Conf"})")
          .as_object(),
      "1.2.3.4");
  ASSERT_TRUE(answer);
  const std::string id{answer->at("client_id").as_string()};
  const std::string secret{answer->at("client_secret").as_string()};
  EXPECT_EQ(answer->at("token_endpoint_auth_method"), "client_secret_basic");
  auto no_secret = oauth.token(exchange(id, code_for(oauth, id, ann_)), "");
  ASSERT_FALSE(no_secret);
  EXPECT_EQ(no_secret.error().code_name, "invalid_client");
  EXPECT_EQ(no_secret.error().code, core::Errc::unauthorized);
  auto form = exchange(id, code_for(oauth, id, ann_));
  form.emplace_back("client_secret", secret);
  ASSERT_TRUE(oauth.token(form, ""));
  const auto basic = basic_header(id, secret);
  auto with_basic = exchange(id, code_for(oauth, id, ann_));
  std::erase_if(with_basic, [](const auto& p) { return p.first == "client_id"; });
  ASSERT_TRUE(oauth.token(with_basic, basic));
  auto wrong = exchange(id, code_for(oauth, id, ann_));
  wrong.emplace_back("client_secret", "wrong");
  EXPECT_FALSE(oauth.token(wrong, ""));
}

TEST_F(OAuthServiceTest, AuthorizeRefusesBeforeOrAfterTheRedirectIsTrusted) {
  auto oauth = service();
  const auto client = register_client(oauth);
  auto unknown = authorize_query("nope");
  EXPECT_FALSE(oauth.authorize(unknown, k_base));
  auto wrong_redirect = authorize_query(client);
  wrong_redirect[2].second = "http://127.0.0.1:5000/elsewhere";
  auto refused = oauth.authorize(wrong_redirect, k_base);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code_name, "invalid_request");
  auto twice = authorize_query(client);
  twice.emplace_back("scope", "tasks:read");
  auto repeated = oauth.authorize(twice, k_base);
  ASSERT_FALSE(repeated);
  EXPECT_EQ(repeated.error().code_name, "invalid_request");
  // The loopback port may differ (RFC 8252).
  auto other_port = authorize_query(client);
  other_port[2].second = "http://127.0.0.1:6123/callback";
  auto ok = oauth.authorize(other_port, k_base);
  ASSERT_TRUE(ok);
  EXPECT_EQ(param(*ok, "error"), "");
  for (auto [index, value, expected] :
       {std::tuple{0, "token", "unsupported_response_type"},
        std::tuple{5, "plain", "invalid_request"}, std::tuple{4, "short", "invalid_request"},
        std::tuple{6, "tasks:admin", "invalid_scope"},
        std::tuple{7, "http://127.0.0.1:8080/other", "invalid_target"}}) {
    auto q = authorize_query(client);
    q[static_cast<std::size_t>(index)].second = value;
    auto back = oauth.authorize(q, k_base);
    ASSERT_TRUE(back) << value;
    EXPECT_TRUE(back->starts_with(k_redirect + "?error=")) << *back;
    EXPECT_EQ(param(*back, "error"), expected) << value;
    EXPECT_EQ(param(*back, "state"), "xyz");
    EXPECT_EQ(param(*back, "iss"), k_base);
  }
}

TEST_F(OAuthServiceTest, DenyingRedirectsWithAccessDeniedAndGrantsNothing) {
  auto oauth = service();
  const auto client = register_client(oauth);
  auto location = oauth.authorize(authorize_query(client), k_base);
  ASSERT_TRUE(location);
  const auto request = param(*location, "request");
  auto view = oauth.describe(request);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->client_name, "Test App");
  EXPECT_EQ(view->redirect_host, "127.0.0.1");
  EXPECT_TRUE(view->loopback);
  auto back = oauth.decide(ann_, request, false);
  ASSERT_TRUE(back);
  EXPECT_EQ(param(*back, "error"), "access_denied");
  EXPECT_EQ(param(*back, "code"), "");
  auto grants = oauth.grants(ann_);
  ASSERT_TRUE(grants);
  EXPECT_TRUE(grants->empty());
  EXPECT_FALSE(oauth.decide(ann_, request + "x", true));
}

TEST_F(OAuthServiceTest, RegistrationsAreCappedPerAddressAndInTotal) {
  auto oauth = service([](auto& s) {
    s.max_ungranted_clients = 3;
    s.registrations_per_hour = 2;
  });
  const auto body =
      boost::json::parse(R"({"redirect_uris":[")" + k_redirect + R"("]})").as_object();
  EXPECT_TRUE(oauth.register_client(body, "a"));
  EXPECT_TRUE(oauth.register_client(body, "a"));
  auto third = oauth.register_client(body, "a");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::Errc::too_many_requests);
  EXPECT_TRUE(oauth.register_client(body, "b"));
  auto full = oauth.register_client(body, "c");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, core::Errc::too_many_requests);
  // Clients never granted expire.
  auto purged = oauth.purge(core::now() + std::chrono::hours{25});
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 3);
  EXPECT_TRUE(oauth.register_client(body, "c"));
}

TEST_F(OAuthServiceTest, ADisabledUsersTokensStopWorkingAndDoNotRefresh) {
  auto oauth = service([](auto& s) { s.token_cache_ttl = 0ms; });
  const auto client = register_client(oauth);
  auto tokens = oauth.token(exchange(client, code_for(oauth, client, ann_)), "");
  ASSERT_TRUE(tokens);
  ASSERT_TRUE(oauth.authenticate(tokens->access_token));
  ASSERT_TRUE(store_->write([&](store::Writer& w) -> core::Status {
    auto u = w.user_by_id(ann_);
    if (!u) return u.error();
    auto user = **u;
    user.disabled = true;
    return w.update_user(user);
  }));
  auto refused = oauth.authenticate(tokens->access_token);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code_name, "invalid_token");
  auto refresh = oauth.token({{"grant_type", "refresh_token"},
                              {"refresh_token", tokens->refresh_token},
                              {"client_id", client}},
                             "");
  ASSERT_FALSE(refresh);
  EXPECT_EQ(refresh.error().code_name, "invalid_grant");
}

}  // namespace
}  // namespace tickler::services::api::oauth

namespace tickler::services::api::oauth {
namespace {

// Clients known by their metadata document, fetched through an injected fetcher.
class OAuthDocumentTest : public OAuthServiceTest {
 protected:
  static constexpr std::string_view k_url = "https://app.example.com/oauth/client.json";

  OAuthService documents() {
    OAuthSettings s;
    s.signing_key = "k";
    return OAuthService{std::move(s), *store_, [this](const std::string& url) {
                          ++fetches_;
                          fetched_url_ = url;
                          return reply_;
                        }};
  }
  std::string document(std::string_view client_id = k_url) {
    return R"({"client_id":")" + std::string{client_id} +
           R"(","client_name":"Doc App","redirect_uris":[")" + k_redirect +
           R"("],"grant_types":["authorization_code","refresh_token"],
               "token_endpoint_auth_method":"none"})";
  }

  core::Result<std::string> reply_ = std::string{};
  int fetches_ = 0;
  std::string fetched_url_;
};

TEST_F(OAuthDocumentTest, AClientIsReadFromItsDocumentOnceAndWorksAsAPublicClient) {
  auto oauth = documents();
  EXPECT_TRUE(oauth.supports_metadata_documents());
  reply_ = document();
  const std::string id{k_url};
  auto location = oauth.authorize(authorize_query(id), k_base);
  ASSERT_TRUE(location) << location.error().message;
  EXPECT_EQ(fetched_url_, id);
  auto view = oauth.describe(param(*location, "request"));
  ASSERT_TRUE(view);
  EXPECT_EQ(view->client_name, "Doc App");
  EXPECT_TRUE(view->metadata_document);
  const auto code = code_for(oauth, id, ann_);
  EXPECT_EQ(fetches_, 1);  // kept for an hour
  auto tokens = oauth.token(exchange(id, code), "");
  ASSERT_TRUE(tokens) << tokens.error().message;
  auto access = oauth.authenticate(tokens->access_token);
  ASSERT_TRUE(access);
  EXPECT_EQ(access->actor, "mcp:Doc App");
}

TEST_F(OAuthDocumentTest, ADocumentMustNameItselfAndBeReadable) {
  auto oauth = documents();
  const std::string id{k_url};
  reply_ = document("https://other.example.com/client.json");
  auto other = oauth.authorize(authorize_query(id), k_base);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code_name, "invalid_client");
  reply_ = std::string{"not json"};
  EXPECT_FALSE(oauth.authorize(authorize_query(id), k_base));
  reply_ = core::make_error(core::Errc::unavailable, "destination refused: 10.0.0.1 is private");
  auto refused = oauth.authorize(authorize_query(id), k_base);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("destination refused"), std::string::npos);
  // Without a fetcher, URL client ids are unknown clients.
  auto plain = service();
  EXPECT_FALSE(plain.supports_metadata_documents());
  EXPECT_FALSE(plain.authorize(authorize_query(id), k_base));
  // Not a document URL: not fetched.
  const auto before = fetches_;
  EXPECT_FALSE(oauth.authorize(authorize_query("http://app.example.com/c.json"), k_base));
  EXPECT_EQ(fetches_, before);
}

}  // namespace
}  // namespace tickler::services::api::oauth

#include "services/api/oauth_rules.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "services/api/oauth_clients.hpp"
#include "services/api/oauth_request.hpp"

namespace tickler::services::api::oauth {
namespace {

TEST(OAuthRules, PkceS256MatchesTheRfc7636Example) {
  ASSERT_GE(sodium_init(), 0);
  // RFC 7636, Appendix B.
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const std::string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  EXPECT_TRUE(valid_code_challenge(challenge));
  EXPECT_TRUE(pkce_matches(verifier, challenge));
  EXPECT_FALSE(pkce_matches(verifier + "x", challenge));
  EXPECT_FALSE(pkce_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
  // The plain method (verifier == challenge) never matches.
  EXPECT_FALSE(pkce_matches(challenge, challenge));
  EXPECT_FALSE(valid_code_verifier("short"));
  EXPECT_FALSE(valid_code_verifier(std::string(129, 'a')));
  EXPECT_FALSE(valid_code_verifier(std::string(43, '+')));
  EXPECT_FALSE(valid_code_challenge("abc"));
}

TEST(OAuthRules, ScopesAreKnownCanonicalAndComparable) {
  auto s = parse_scopes("tasks:write  tasks:read tasks:write offline_access");
  ASSERT_TRUE(s);
  EXPECT_EQ(join_scopes(*s), "tasks:read tasks:write");
  auto unknown = parse_scopes("tasks:read admin");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code_name, "invalid_scope");
  const Scopes read{"tasks:read"};
  const Scopes write{"tasks:write"};
  EXPECT_EQ(join_scopes(scope_union(write, read)), "tasks:read tasks:write");
  EXPECT_TRUE(scope_intersection(read, write).empty());
  EXPECT_TRUE(scopes_within(read, *s));
  EXPECT_FALSE(scopes_within(*s, read));
}

TEST(OAuthRules, RedirectUrisThatMayBeRegistered) {
  for (const char* ok :
       {"https://claude.ai/api/mcp/auth_callback", "http://127.0.0.1:33418/cb",
        "http://localhost:3000/callback", "http://[::1]:8080/",
        "cursor://anysphere.cursor-retrieval/oauth/callback", "com.example.app:/oauth2redirect"}) {
    EXPECT_EQ(redirect_uri_problem(ok), "") << ok;
  }
  for (const char* bad :
       {"", "/relative", "http://evil.example.com/cb", "javascript:alert(1)", "data:text/html,x",
        "https://example.com/cb#frag", "https://user:pw@example.com/cb", "file:///etc/passwd"}) {
    EXPECT_NE(redirect_uri_problem(bad), "") << bad;
  }
}

TEST(OAuthRules, RedirectUrisMatchExactlyButForTheLoopbackPort) {
  const std::vector<std::string> registered{"http://127.0.0.1:3000/callback",
                                            "https://app.example.com/cb"};
  EXPECT_TRUE(redirect_uri_matches("https://app.example.com/cb", registered));
  EXPECT_FALSE(redirect_uri_matches("https://app.example.com/cb/", registered));
  EXPECT_FALSE(redirect_uri_matches("https://app.example.com/cb?x=1", registered));
  EXPECT_FALSE(redirect_uri_matches("https://APP.example.com/cb", registered));
  EXPECT_FALSE(redirect_uri_matches("https://app.example.com:444/cb", registered));
  // RFC 8252 §7.3: a loopback IP redirect may use any port.
  EXPECT_TRUE(redirect_uri_matches("http://127.0.0.1:3000/callback", registered));
  EXPECT_TRUE(redirect_uri_matches("http://127.0.0.1:51234/callback", registered));
  EXPECT_FALSE(redirect_uri_matches("http://127.0.0.1:51234/other", registered));
  EXPECT_FALSE(redirect_uri_matches("http://localhost:3000/callback", registered));
  EXPECT_FALSE(redirect_uri_matches("https://127.0.0.1:3000/callback", registered));
}

TEST(OAuthRules, ResourcesCompareWithoutCaseOfSchemeAndHostOrATrailingSlash) {
  EXPECT_EQ(canonical_resource("HTTPS://Tickler.Example.com/mcp/"),
            "https://tickler.example.com/mcp");
  EXPECT_EQ(canonical_resource("http://127.0.0.1:8080/mcp"), "http://127.0.0.1:8080/mcp");
  EXPECT_NE(canonical_resource("http://127.0.0.1:8080/mcp"),
            canonical_resource("http://127.0.0.1:8081/mcp"));
  EXPECT_FALSE(canonical_resource("https://x.example.com/mcp#f"));
  EXPECT_FALSE(canonical_resource("mcp.example.com"));
}

TEST(OAuthRules, FormsAndBasicCredentials) {
  auto f = parse_form("grant_type=authorization_code&code=a%2Bb+c&empty=&flag");
  ASSERT_TRUE(f);
  EXPECT_EQ(form_value(*f, "code"), "a+b c");
  EXPECT_EQ(form_value(*f, "empty"), "");
  EXPECT_EQ(form_value(*f, "flag"), "");
  EXPECT_FALSE(form_value(*f, "missing"));
  EXPECT_FALSE(parse_form("a=%zz"));
  EXPECT_FALSE(parse_form("a=%4"));
  EXPECT_FALSE(parse_form("a=1&a=2"));
  // "id:se cret" with the secret's space form-encoded.
  auto c = basic_credentials("Basic aWQ6c2UrY3JldA==");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first, "id");
  EXPECT_EQ(c->second, "se cret");
  EXPECT_FALSE(basic_credentials("Bearer x"));
  EXPECT_FALSE(basic_credentials("Basic !!!"));
  EXPECT_FALSE(basic_credentials("Basic bm9jb2xvbg=="));  // "nocolon"
  EXPECT_EQ(with_query("https://a.example/cb", {{"code", "x y"}, {"state", "s&t"}}),
            "https://a.example/cb?code=x%20y&state=s%26t");
  EXPECT_EQ(with_query("https://a.example/cb?k=v", {{"error", "access_denied"}}),
            "https://a.example/cb?k=v&error=access_denied");
  EXPECT_EQ(random_secret("tkl_oat_").size(), 8U + 43U);
}

TEST(OAuthClients, ARegistrationIsValidatedWithRfc7591Defaults) {
  auto body = boost::json::parse(
                  R"({"redirect_uris":["http://127.0.0.1:5000/cb"],"client_name":"Claude",
                      "unknown_member":1})")
                  .as_object();
  auto m = registration_metadata(body);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->token_endpoint_auth_method, "client_secret_basic");
  EXPECT_FALSE(m->is_public());
  EXPECT_FALSE(m->may_refresh());
  EXPECT_EQ(display_name(*m, "id"), "Claude");
  auto round_trip = stored_metadata(boost::json::serialize(to_json(*m)));
  EXPECT_EQ(round_trip.redirect_uris, m->redirect_uris);

  for (
      const char* bad :
      {R"({})", R"({"redirect_uris":[]})", R"({"redirect_uris":["http://evil.example/cb"]})",
       R"({"redirect_uris":["https://a.example/cb"],"grant_types":["client_credentials"]})",
       R"({"redirect_uris":["https://a.example/cb"],"grant_types":["refresh_token"]})",
       R"({"redirect_uris":["https://a.example/cb"],"response_types":["token"]})",
       R"({"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"private_key_jwt"})",
       R"({"redirect_uris":["https://a.example/cb"],"scope":"admin"})",
       R"({"redirect_uris":["https://a.example/cb"],"client_name":7})"}) {
    auto refused = registration_metadata(boost::json::parse(bad).as_object());
    ASSERT_FALSE(refused) << bad;
    EXPECT_TRUE(refused.error().code_name == "invalid_client_metadata" ||
                refused.error().code_name == "invalid_redirect_uri")
        << bad << " " << refused.error().code_name;
  }
}

TEST(OAuthClients, MetadataDocuments) {
  const std::string url = "https://app.example.com/oauth/client.json";
  EXPECT_TRUE(is_metadata_document_url(url));
  for (const char* bad :
       {"http://app.example.com/c.json", "https://app.example.com", "https://app.example.com/",
        "https://app.example.com/a/../c.json", "https://u@app.example.com/c.json",
        "https://app.example.com/c#x", "not a url"}) {
    EXPECT_FALSE(is_metadata_document_url(bad)) << bad;
  }
  auto doc = boost::json::parse(R"({"client_id":")" + url +
                                R"(","client_name":"Example MCP Client",
      "redirect_uris":["http://127.0.0.1:3000/callback"],
      "grant_types":["authorization_code","refresh_token"],"token_endpoint_auth_method":"none"})")
                 .as_object();
  auto m = document_metadata(doc, url);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_TRUE(m->is_public());
  EXPECT_TRUE(m->may_refresh());
  EXPECT_FALSE(document_metadata(doc, url + "?x"));  // names another URL
  doc["token_endpoint_auth_method"] = "client_secret_basic";
  EXPECT_FALSE(document_metadata(doc, url));
  doc["token_endpoint_auth_method"] = "none";
  doc.erase("client_name");
  auto nameless = document_metadata(doc, url);
  ASSERT_FALSE(nameless);
  EXPECT_EQ(nameless.error().code_name, "invalid_client");
  EXPECT_EQ(display_name(ClientMetadata{}, url), "app.example.com");
  EXPECT_EQ(display_name(ClientMetadata{}, "abc"), "Unnamed app");
  ClientMetadata odd;
  odd.client_name = "  Bad\x01Name  ";
  EXPECT_EQ(display_name(odd, "abc"), "BadName");
}

TEST(OAuthRequest, ASealedRequestOpensOnlyWithItsKeyUntilItExpires) {
  const auto now = core::now();
  const AuthorizationRequest r{"client",     "http://127.0.0.1:1/cb",
                               "st&ate",     "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                               "tasks:read", "http://h/mcp",
                               "http://h",   now + std::chrono::minutes{10}};
  const auto sealed = seal(r, "key-1");
  auto opened = unseal(sealed, "key-1", now);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->state, "st&ate");
  EXPECT_EQ(opened->resource, "http://h/mcp");
  EXPECT_EQ(opened->expires_at, core::from_millis(core::to_millis(r.expires_at)));
  EXPECT_FALSE(unseal(sealed, "key-2", now));
  EXPECT_FALSE(unseal(sealed, "key-1", now + std::chrono::minutes{11}));
  auto tampered = sealed;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(unseal(tampered, "key-1", now));
  EXPECT_FALSE(unseal("garbage", "key-1", now));
}

}  // namespace
}  // namespace tickler::services::api::oauth

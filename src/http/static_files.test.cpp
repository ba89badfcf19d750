#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace tickler::http {
namespace {

namespace fs = std::filesystem;

// A built UI in a temporary directory: index.html, a hashed asset with its .gz, a favicon.
class WebRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("tickler-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "assets");
    write("index.html", "<!doctype html>");
    write("assets/index-abc123.js", "console.log(1)");
    write("assets/index-abc123.js.gz", "gz");
    write("favicon.svg", "<svg/>");
    write(".env", "secret");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream{root_ / name} << text;
  }

  fs::path root_;
  base::Offload offload_{1};
  StaticFiles files() { return StaticFiles{{root_}, offload_}; }
};

TEST(SafeRelativePath, KeepsPlainSegments) {
  EXPECT_EQ(safe_relative_path("/assets/app.js"), fs::path{"assets/app.js"});
  EXPECT_EQ(safe_relative_path("//assets///app.js"), fs::path{"assets/app.js"});
  EXPECT_EQ(safe_relative_path("/"), fs::path{});
  EXPECT_EQ(safe_relative_path(""), fs::path{});
  EXPECT_EQ(safe_relative_path("/tasks/42"), fs::path{"tasks/42"});
}

TEST(SafeRelativePath, RefusesTraversalHiddenAndControlCharacters) {
  const std::string_view bad_paths[] = {
      "/../etc/passwd", "/assets/../../x", "/..",         "/./index.html", "/.git/config",
      "/.env",          "/a\\..\\b",       "/c:/windows", {"/a\0b", 4},    "/a\nb"};
  for (const auto bad : bad_paths) {
    EXPECT_FALSE(safe_relative_path(bad)) << bad;
  }
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
}

TEST(AcceptsGzip, ReadsCodingsAndZeroQuality) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("*, gzip; q=0"));
}

TEST_F(WebRoot, RootAndIndexAreTheAppWithoutLongCaching) {
  auto f = files();
  ASSERT_TRUE(f.available());
  for (std::string_view path : {"/", "/index.html"}) {
    auto t = f.locate(path, false);
    ASSERT_TRUE(t) << path;
    EXPECT_EQ(t->file, root_ / "index.html");
    EXPECT_TRUE(t->index);
    EXPECT_EQ(t->cache_control, "no-cache");
    EXPECT_EQ(t->content_type, "text/html; charset=utf-8");
  }
}

TEST_F(WebRoot, HashedAssetsAreImmutableAndGzippedWhenAccepted) {
  auto f = files();
  auto plain = f.locate("/assets/index-abc123.js", false);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->file, root_ / "assets/index-abc123.js");
  EXPECT_FALSE(plain->gzip);
  EXPECT_EQ(plain->cache_control, "public, max-age=31536000, immutable");
  auto gz = f.locate("/assets/index-abc123.js", true);
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->file, root_ / "assets/index-abc123.js.gz");
  EXPECT_TRUE(gz->gzip);
  EXPECT_EQ(gz->content_type, "text/javascript; charset=utf-8");
  // No .gz beside it: the file itself.
  auto icon = f.locate("/favicon.svg", true);
  ASSERT_TRUE(icon);
  EXPECT_FALSE(icon->gzip);
  EXPECT_EQ(icon->cache_control, "no-cache");
}

TEST_F(WebRoot, ClientRoutesGetTheAppMissingFilesDoNot) {
  auto f = files();
  auto route = f.locate("/tasks/42", false);
  ASSERT_TRUE(route);
  EXPECT_EQ(route->file, root_ / "index.html");
  EXPECT_TRUE(route->index);
  EXPECT_FALSE(f.locate("/assets/missing-123.js", false));
  EXPECT_FALSE(f.locate("/assets/chunk", false));
  EXPECT_FALSE(f.locate("/robots.txt", false));
  EXPECT_FALSE(f.locate("/.env", false));
  EXPECT_FALSE(f.locate("/../index.html", false));
}

TEST_F(WebRoot, DirectoriesAreRoutesNotListings) {
  auto t = files().locate("/assets", false);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->file, root_ / "index.html");
}

TEST_F(WebRoot, WithoutIndexNothingIsServed) {
  fs::remove(root_ / "index.html");
  auto f = files();
  EXPECT_FALSE(f.available());
  EXPECT_FALSE(f.locate("/", false));
  EXPECT_FALSE(f.locate("/assets/index-abc123.js", false));
  EXPECT_FALSE((StaticFiles{{root_ / "absent"}, offload_}.available()));
}

}  // namespace
}  // namespace tickler::http

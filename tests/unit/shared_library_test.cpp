// Opening a library when first needed: what a missing library or symbol says, and that a
// bound function is the real one.
#include <gtest/gtest.h>

#include <cstring>

#include "util/shared_library.hpp"

namespace devops_monitor {
namespace {

TEST(SharedLibrary, AMissingLibraryIsNamedWithTheLoadersReason) {
  Result<SharedLibrary> library = SharedLibrary::open("libdevops-monitor-absent.so.7");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.error().what, "cannot load libdevops-monitor-absent.so.7");
  EXPECT_NE(library.error().detail.find("No such file"), std::string::npos)
      << library.error().detail;
}

TEST(SharedLibrary, ABoundFunctionIsTheLibrarysOwn) {
  Result<SharedLibrary> library = SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(library.ok()) << library.error().message();
  decltype(&::strlen) length = nullptr;
  ASSERT_TRUE(library->bind(length, "strlen").ok());
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length("seven c"), 7u);
}

TEST(SharedLibrary, AMissingSymbolNamesTheLibrary) {
  Result<SharedLibrary> library = SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(library.ok());
  int (*absent)() = nullptr;
  const Result<void> bound = library->bind(absent, "devops_monitor_no_such_function");
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.error().what, "cannot load libc.so.6");
  EXPECT_NE(bound.error().detail.find("devops_monitor_no_such_function"), std::string::npos);
  EXPECT_EQ(absent, nullptr);
}

TEST(SharedLibrary, BindsListedTogetherFailWithTheFirstFailure) {
  Result<SharedLibrary> library = SharedLibrary::open("libc.so.6");
  ASSERT_TRUE(library.ok());
  decltype(&::strlen) length = nullptr;
  int (*absent)() = nullptr;
  int (*also_absent)() = nullptr;
  const Result<void> bound = SharedLibrary::first_failure({
      library->bind(length, "strlen"),
      library->bind(absent, "devops_monitor_first_absent"),
      library->bind(also_absent, "devops_monitor_second_absent"),
  });
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.error().detail.find("devops_monitor_first_absent"), std::string::npos);
  EXPECT_TRUE(SharedLibrary::first_failure({library->bind(length, "strlen")}).ok());
}

}  // namespace
}  // namespace devops_monitor

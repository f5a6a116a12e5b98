// The loader against a fake AssessmentService that records its calls: creation, the
// transitions still to make, etags, idempotence and errors.
#include "tools/data_loader.h"

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "tests/support/temp_dir.h"

namespace metrocap::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace v1 = assessment::v1;

// Frameworks only, with the real service's rules reduced to what the loader relies on:
// NOT_FOUND from Get, state checks on :publish and a checked etag.
class FakeFrameworks final : public v1::AssessmentService::Service {
 public:
  grpc::Status GetFramework(grpc::ServerContext*, const v1::GetFrameworkRequest* request,
                            v1::Framework* response) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back("Get " + request->name());
    auto it = frameworks_.find(request->name());
    if (it == frameworks_.end()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such");
    *response = it->second;
    return grpc::Status::OK;
  }
  grpc::Status CreateFramework(grpc::ServerContext*, const v1::CreateFrameworkRequest* request,
                               v1::Framework* response) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back("Create " + request->framework_id());
    if (request->framework().display_name().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "displayName is required");
    }
    v1::Framework f = request->framework();
    f.set_name("frameworks/" + request->framework_id());
    f.set_state(v1::Framework::DRAFT);
    f.set_etag("1");
    frameworks_[f.name()] = f;
    *response = f;
    return grpc::Status::OK;
  }
  grpc::Status PublishFramework(grpc::ServerContext*, const v1::PublishFrameworkRequest* request,
                                v1::Framework* response) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back(absl::StrCat(":publish ", request->name(), " etag=", request->etag()));
    v1::Framework& f = frameworks_[request->name()];
    if (request->etag() != f.etag()) return grpc::Status(grpc::StatusCode::ABORTED, "stale etag");
    if (f.state() != v1::Framework::DRAFT) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "already published");
    }
    if (!publish_does_nothing_) f.set_state(v1::Framework::PUBLISHED);
    f.set_etag(absl::StrCat(std::stoi(f.etag()) + 1));
    *response = f;
    return grpc::Status::OK;
  }

  void Put(v1::Framework f) {
    absl::MutexLock lock(&mu_);
    frameworks_[f.name()] = std::move(f);
  }
  std::vector<std::string> TakeCalls() {
    absl::MutexLock lock(&mu_);
    return std::move(calls_);
  }
  void set_publish_does_nothing() {
    absl::MutexLock lock(&mu_);
    publish_does_nothing_ = true;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, v1::Framework> frameworks_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
  bool publish_does_nothing_ ABSL_GUARDED_BY(mu_) = false;
};

class DataLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<RpcClient>(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()),
        "token");
  }
  void TearDown() override { server_->Shutdown(); }

  absl::Status Load(const std::string& json) {
    auto items = ParseDataFile(json);
    if (!items.ok()) return items.status();
    DataLoader loader(&catalog_, client_.get());
    for (const DataItem& item : *items) {
      absl::Status loaded = loader.LoadItem(item, &report_, log_);
      if (!loaded.ok()) return loaded;
    }
    return absl::OkStatus();
  }

  static constexpr char kPublished[] = R"([{"name": "frameworks/micad", "displayName": "MICAD",
      "state": "PUBLISHED", "transitions": [{"call": ":publish", "state": "PUBLISHED"}]}])";

  FakeFrameworks fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<RpcClient> client_;
  ApiCatalog catalog_{
      {v1::Framework::descriptor()->file()->FindServiceByName("AssessmentService")}};
  LoadReport report_;
  std::ostringstream log_;
};

TEST_F(DataLoaderTest, CreatesThenMakesTheTransitionsWithTheEtag) {
  ASSERT_TRUE(Load(kPublished).ok());
  EXPECT_THAT(fake_.TakeCalls(), ElementsAre("Get frameworks/micad", "Create micad",
                                             ":publish frameworks/micad etag=1"));
  EXPECT_EQ(Summary(report_),
            "1 created, 0 already present; 1 brought to their state (1 calls), 0 already in it");
  EXPECT_EQ(log_.str(), "frameworks/micad: :publish -> PUBLISHED\n");
}

TEST_F(DataLoaderTest, LoadingAgainOnlyReads) {
  ASSERT_TRUE(Load(kPublished).ok());
  fake_.TakeCalls();
  report_ = LoadReport();
  ASSERT_TRUE(Load(kPublished).ok());
  EXPECT_THAT(fake_.TakeCalls(), ElementsAre("Get frameworks/micad"));
  EXPECT_EQ(Summary(report_),
            "0 created, 1 already present; 0 brought to their state (0 calls), 1 already in it");
}

TEST_F(DataLoaderTest, AResourceLeftInItsCreatedStateIsTakenOnFromThere) {
  v1::Framework draft;
  draft.set_name("frameworks/micad");
  draft.set_state(v1::Framework::DRAFT);
  draft.set_etag("7");
  fake_.Put(draft);
  ASSERT_TRUE(Load(kPublished).ok());
  EXPECT_THAT(fake_.TakeCalls(),
              ElementsAre("Get frameworks/micad", ":publish frameworks/micad etag=7"));
  EXPECT_EQ(report_.present, 1);
  EXPECT_EQ(report_.brought_to_state, 1);
}

TEST_F(DataLoaderTest, AStateTheCallDidNotReachIsAnError) {
  fake_.set_publish_does_nothing();
  absl::Status status = Load(kPublished);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      status.message(),
      HasSubstr("frameworks/micad: after :publish it is DRAFT, the data expects PUBLISHED"));
}

TEST_F(DataLoaderTest, ARefusedCallNamesTheResourceAndMethod) {
  absl::Status status = Load(R"([{"name": "frameworks/micad"}])");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("frameworks/micad: CreateFramework: displayName is required"));
}

TEST_F(DataLoaderTest, AStateWithoutTransitionsMustBeTheCreatedOne) {
  absl::Status status = Load(R"([{"name": "frameworks/micad", "displayName": "MICAD",
                                   "state": "PUBLISHED"}])");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("is DRAFT, the data says PUBLISHED"));
  EXPECT_TRUE(Load(R"([{"name": "frameworks/other", "displayName": "O", "state": "DRAFT"}])").ok());
}

TEST_F(DataLoaderTest, UnknownVerbsAndResourcesAreNotFound) {
  EXPECT_EQ(Load(R"([{"name": "frameworks/micad", "displayName": "M",
                      "transitions": [{"call": ":archive", "state": "ARCHIVED"}]}])")
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Load(R"([{"name": "plans/p"}])").code(), absl::StatusCode::kNotFound);
}

TEST_F(DataLoaderTest, LoadsTheFilesOfADirectoryInOrder) {
  metrocap::testing::TempDir temp("metrocapctl-load");
  ASSERT_TRUE(temp.status().ok()) << temp.status();
  const std::string& dir = temp.path();
  auto write = [&](const std::string& file, const std::string& text) {
    FILE* f = fopen((dir + "/" + file).c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text.c_str(), f);
    fclose(f);
  };
  write("ORDER", "# frameworks first\nframeworks.json\n");
  write("frameworks.json", kPublished);
  DataLoader loader(&catalog_, client_.get());
  auto first = loader.LoadDirectory(dir, log_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 1);
  auto second = loader.LoadDirectory(dir, log_);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->in_state, 1);
  write("ORDER", "missing.json\n");
  EXPECT_EQ(loader.LoadDirectory(dir, log_).status().code(), absl::StatusCode::kNotFound);
  write("ORDER", "bad.json\n");
  write("bad.json", "[{]");
  auto bad = loader.LoadDirectory(dir, log_);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr(dir + "/bad.json: not a JSON array"));
}

}  // namespace
}  // namespace metrocap::tools

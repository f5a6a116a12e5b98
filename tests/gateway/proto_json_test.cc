#include "gateway/core/proto_json.h"

#include <cmath>
#include <limits>
#include <random>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "metrocap/gatewaytest/v1/probe.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::gateway {
namespace {

namespace probe = gatewaytest::v1;
using google::protobuf::Message;

// What protobuf's own printer makes of `message` (default options).
std::string ProtobufJson(const Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

// `message` through AppendProtoJson, which must handle it and agree with protobuf.
void ExpectSameAsProtobuf(const Message& message) {
  std::string json = "prefix:";
  ASSERT_TRUE(AppendProtoJson(message, &json)) << message.DebugString();
  EXPECT_EQ(json, "prefix:" + ProtobufJson(message)) << message.DebugString();
  std::string printed;
  ASSERT_TRUE(PrintJson(message, &printed));
  EXPECT_EQ(printed, ProtobufJson(message));
}

std::string Utf8(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
  return out;
}

probe::Thing FullThing() {
  probe::Thing thing;
  thing.set_name("shelves/1/things/2");
  thing.set_display_name("Città \"quoted\" <b>&</b>\\ \t\n");
  thing.set_kind(probe::Thing::MAP);
  thing.set_size(-9007199254740993);
  thing.add_tags("a");
  thing.add_tags("");
  thing.add_tags("ü€😀");
  thing.mutable_create_time()->set_seconds(1765100000);
  thing.mutable_create_time()->set_nanos(120000000);
  thing.mutable_acquired()->set_year(2026);
  thing.mutable_acquired()->set_month(12);
  thing.mutable_acquired()->set_day(7);
  thing.set_ratio(0.1);
  thing.set_active(true);
  thing.mutable_detail()->set_note("n");
  thing.mutable_detail()->set_pages(-3);
  thing.set_etag("\"7\"");
  thing.set_serial(std::numeric_limits<uint64_t>::max());
  return thing;
}

TEST(ProtoJsonTest, EveryFieldKindPrintsAsProtobufDoes) {
  ExpectSameAsProtobuf(FullThing());
  ExpectSameAsProtobuf(probe::Thing());
  probe::Thing present_but_empty;
  present_but_empty.mutable_detail();
  present_but_empty.mutable_create_time();  // The epoch: present, so printed.
  present_but_empty.mutable_acquired();
  ExpectSameAsProtobuf(present_but_empty);
}

TEST(ProtoJsonTest, RepeatedMessagesAndEmptyOnes) {
  probe::ListThingsResponse response;
  *response.add_things() = FullThing();
  response.add_things();
  *response.add_things() = FullThing();
  response.set_next_page_token("next");
  ExpectSameAsProtobuf(response);
}

TEST(ProtoJsonTest, NumbersAsProtobufFormatsThem) {
  for (double ratio :
       {0.1, 1.0, -2.5, 3.0, 1e30, 1e-7, 123456789.125, 5e-324, std::numeric_limits<double>::max(),
        std::nan(""), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    probe::Thing thing;
    thing.set_ratio(ratio);
    ExpectSameAsProtobuf(thing);
  }
  for (int64_t size : {int64_t{1}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                       std::numeric_limits<int64_t>::max()}) {
    probe::Thing thing;
    thing.set_size(size);
    thing.mutable_detail()->set_pages(static_cast<int32_t>(size));
    ExpectSameAsProtobuf(thing);
  }
}

TEST(ProtoJsonTest, TimestampsWithEveryPrecision) {
  for (int32_t nanos : {0, 1, 1000, 1000000, 999999999, 500000000, 10}) {
    for (int64_t seconds : {int64_t{0}, int64_t{-1}, int64_t{1765100000}, int64_t{-62135596800},
                            int64_t{253402300799}}) {
      probe::Thing thing;
      thing.mutable_create_time()->set_seconds(seconds);
      thing.mutable_create_time()->set_nanos(nanos);
      ExpectSameAsProtobuf(thing);
    }
  }
}

TEST(ProtoJsonTest, RandomTimestampsAcrossTheWholeRange) {
  std::mt19937_64 random(17);
  std::uniform_int_distribution<int64_t> seconds(-62135596800, 253402300799);
  std::uniform_int_distribution<int32_t> nanos(0, 999999999), pick(0, 3);
  for (int round = 0; round < 2000; ++round) {
    probe::Thing thing;
    thing.mutable_create_time()->set_seconds(seconds(random));
    int32_t n = nanos(random);
    if (pick(random) == 0) n -= n % 1000000;  // Milliseconds and microseconds too.
    if (pick(random) == 0) n -= n % 1000;
    thing.mutable_create_time()->set_nanos(n);
    ExpectSameAsProtobuf(thing);
  }
}

TEST(ProtoJsonTest, UnknownEnumNumberPrintsAsANumber) {
  probe::Thing thing;
  thing.set_kind(static_cast<probe::Thing::Kind>(42));
  ExpectSameAsProtobuf(thing);
}

TEST(ProtoJsonTest, StringsEscapeEveryCodePointAsProtobufDoes) {
  // Every code point up to U+2100, and those around each range protobuf escapes.
  std::string text;
  for (uint32_t cp = 1; cp < 0x2100; ++cp) {
    if (cp < 0xd800 || cp > 0xdfff) text += Utf8(cp);
  }
  for (uint32_t cp :
       {0x0u,     0x17b3u,  0x17b4u,  0x17b5u,  0x17b6u,  0x205fu,  0x2060u,  0x2064u,  0x2065u,
        0x2069u,  0x206au,  0x206fu,  0x2070u,  0xfeffu,  0xfff8u,  0xfff9u,  0xfffbu,  0xfffcu,
        0xffffu,  0x10000u, 0x1d172u, 0x1d173u, 0x1d17au, 0x1d17bu, 0x1f600u, 0xe0000u, 0xe0001u,
        0xe0002u, 0xe001fu, 0xe0020u, 0xe007fu, 0xe0080u, 0x10ffffu}) {
    text += Utf8(cp);
  }
  probe::Thing thing;
  thing.set_display_name(text);
  ExpectSameAsProtobuf(thing);
}

TEST(ProtoJsonTest, RandomStringsAgreeWithProtobuf) {
  std::mt19937 random(17);
  std::uniform_int_distribution<uint32_t> small(0, 0x7f), any(0, 0x10ffff), pick(0, 3);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int k = 0; k < 12; ++k) {
      uint32_t cp = pick(random) == 0 ? any(random) : small(random);
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      text += Utf8(cp);
    }
    probe::Thing thing;
    thing.set_name(text);
    thing.add_tags(text);
    ExpectSameAsProtobuf(thing);
  }
}

TEST(ProtoJsonTest, AnOrganisationAsMembershipAnswersIt) {
  membership::v1::Organisation organisation;
  organisation.set_name("organisations/lyon");
  organisation.set_display_name("Métropole de Lyon");
  organisation.set_kind(membership::v1::Organisation::METROPOLITAN_AREA);
  organisation.set_region("regions/europe");
  organisation.set_country_code("FR");
  organisation.set_etag("\"4\"");
  organisation.set_population(1411571);
  organisation.mutable_create_time()->set_seconds(1765100000);
  organisation.mutable_update_time()->set_seconds(1765100001);
  organisation.mutable_update_time()->set_nanos(5000);
  ExpectSameAsProtobuf(organisation);
}

TEST(ProtoJsonTest, LeavesOtherWellKnownTypesToProtobuf) {
  probe::ListThingsRequest with_mask;
  with_mask.mutable_read_mask()->add_paths("display_name");
  probe::ListThingsRequest with_wrapper;
  with_wrapper.mutable_max_pages()->set_value(3);
  probe::ListThingsRequest with_duration;
  with_duration.mutable_window()->mutable_length()->set_seconds(5);
  for (const Message* message :
       std::initializer_list<const Message*>{&with_mask, &with_wrapper, &with_duration}) {
    std::string json;
    EXPECT_FALSE(AppendProtoJson(*message, &json)) << message->DebugString();
    ASSERT_TRUE(PrintJson(*message, &json));
    EXPECT_EQ(json, ProtobufJson(*message));
  }
}

TEST(ProtoJsonTest, ATimestampOutOfRangeIsLeftToProtobuf) {
  probe::Thing thing;
  thing.mutable_create_time()->set_seconds(253402300800);
  std::string json;
  EXPECT_FALSE(AppendProtoJson(thing, &json));
  std::string expected;
  bool printable = google::protobuf::util::MessageToJsonString(thing, &expected).ok();
  EXPECT_EQ(PrintJson(thing, &json), printable);
}

}  // namespace
}  // namespace metrocap::gateway

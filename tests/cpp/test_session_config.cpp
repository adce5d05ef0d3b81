// SessionConfig: published defaults are valid, every invalid field is named
// in the Status message, and init() refuses what the template cannot hold.
#if !__has_include(<Eigen/Core>)
#include <gtest/gtest.h>
TEST(SessionConfig, SkippedWithoutEigen) { GTEST_SKIP() << "Eigen3 not found: imu layer not built"; }
#else
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>

#include "soleus/session.hpp"

using soleus::SessionConfig;
using soleus::StatusCode;

namespace {
std::string field_of(const soleus::Status& s) { return std::string(s.message).substr(0, std::string(s.message).find(':')); }

template <typename F>
void expect_invalid(F mutate, const char* field) {
  SessionConfig c;
  mutate(c);
  const soleus::Status s = c.validate();
  EXPECT_EQ(s.code, StatusCode::invalid_argument) << field;
  EXPECT_NE(std::string(s.message).find(field), std::string::npos) << "message '" << s.message << "' should name " << field;
}
}  // namespace

TEST(SessionConfig, DefaultsAreValidAndPublished) {
  SessionConfig c;
  EXPECT_TRUE(c.validate().ok()) << c.validate().message;
  EXPECT_EQ(c.emg_channels, 1);
  EXPECT_STREQ(c.channel[0].name, "soleus");
  EXPECT_EQ(c.channel[0].muscle, soleus::Muscle::soleus);
  EXPECT_EQ(c.emg_rate_hz, 2000.0);
  EXPECT_TRUE(c.imu_enabled);
  EXPECT_EQ(c.imu_rate_hz, 100.0);
  EXPECT_EQ(c.inactivity_alert_s, 3600.0);
  EXPECT_EQ(c.gap_factor, 1.5);
  EXPECT_EQ(soleus::kDefaultSessionConfig.inactivity_alert_s, 3600.0);
}

TEST(SessionConfig, EachInvalidFieldIsNamed) {
  expect_invalid([](SessionConfig& c) { c.emg_channels = -1; }, "emg_channels");
  expect_invalid([](SessionConfig& c) { c.emg_channels = SOLEUS_SESSION_MAX_CHANNELS + 1; }, "emg_channels");
  expect_invalid([](SessionConfig& c) { c.emg_channels = 0; c.imu_enabled = false; }, "imu_enabled");
  expect_invalid([](SessionConfig& c) { c.channel[0].muscle = static_cast<soleus::Muscle>(9); }, "channel[].muscle");
  expect_invalid([](SessionConfig& c) { std::memset(c.channel[0].name, 'x', sizeof c.channel[0].name); }, "channel[].name");
  expect_invalid([](SessionConfig& c) { c.emg_rate_hz = 100.0; }, "emg_rate_hz");
  expect_invalid([](SessionConfig& c) { c.emg_rate_hz = NAN; }, "emg_rate_hz");
  expect_invalid([](SessionConfig& c) { c.emg_range = 0.0; }, "emg_range");
  expect_invalid([](SessionConfig& c) { c.imu_rate_hz = 5.0; }, "imu_rate_hz");
  expect_invalid([](SessionConfig& c) { c.imu_acc_range = -1.0; }, "imu_acc_range");
  expect_invalid([](SessionConfig& c) { c.imu_gyro_range = NAN; }, "imu_gyro_range");
  expect_invalid([](SessionConfig& c) { c.gap_factor = 1.0; }, "gap_factor");
  expect_invalid([](SessionConfig& c) { c.drift_tolerance = 0.0; }, "drift_tolerance");
  expect_invalid([](SessionConfig& c) { c.drift_window_s = INFINITY; }, "drift_window_s");
  expect_invalid([](SessionConfig& c) { c.resync_after_samples = 0; }, "resync_after_samples");
  expect_invalid([](SessionConfig& c) { c.emg_restart_gap_s = 0.0; }, "emg_restart_gap_s");
  expect_invalid([](SessionConfig& c) { c.fault_clear_s = -1.0; }, "fault_clear_s");
  expect_invalid([](SessionConfig& c) { c.inactivity_alert_s = 0.0; }, "inactivity_alert_s");
}

TEST(SessionConfig, DisabledStreamsAreNotChecked) {
  SessionConfig c;
  c.imu_enabled = false;
  c.imu_rate_hz = 0.0;  // irrelevant without an IMU
  EXPECT_TRUE(c.validate().ok());
  c = soleus::kDefaultSessionConfig;
  c.emg_channels = 0;
  c.emg_rate_hz = 0.0;  // irrelevant without EMG
  EXPECT_TRUE(c.validate().ok());
}

TEST(SessionConfig, InitRefusesBadConfigsAndTooManyChannels) {
  auto s = std::make_unique<soleus::Session<1, 16>>();
  SessionConfig c;
  c.gap_factor = 0.5;
  soleus::Status st = s->init(c);
  EXPECT_EQ(st.code, StatusCode::invalid_argument);
  EXPECT_FALSE(s->ready());
  const float f[1] = {0.0f};
  EXPECT_EQ(s->push_emg(0.0, f).code, StatusCode::not_ready);
  c = soleus::kDefaultSessionConfig;
  c.emg_channels = 2;
  EXPECT_EQ(s->init(c).code, StatusCode::capacity_exceeded);
  // Nested chain settings are validated by the chains and reported as such.
  c = soleus::kDefaultSessionConfig;
  c.emg.conditioner.bandpass_high_hz = 5000.0;
  EXPECT_FALSE(s->init(c).ok());
  c = soleus::kDefaultSessionConfig;
  c.imu_reps.segmenter.min_excursion_deg = -1.0;
  c.imu_reps.apply_placement_defaults = false;
  st = s->init(c);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message).find("min_excursion_deg"), std::string::npos) << st.message;
  c = soleus::kDefaultSessionConfig;
  EXPECT_TRUE(s->init(c).ok());
  EXPECT_TRUE(s->ready());
  EXPECT_EQ(s->push_emg(0.0, f).code, StatusCode::ok);
  const float a[3] = {0, 0, 9.81f}, g[3] = {0, 0, 0};
  EXPECT_EQ(s->push_imu(0.0, a, g).code, StatusCode::ok);
  (void)field_of;
}

#endif

// Shared helpers for the C++ tests: reading committed reference vectors and
// locating the real recordings in ../shared/data (skipping when absent).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace soleus_test {

inline std::string reference_path(const std::string& name) {
  return std::string(SOLEUS_TEST_REFERENCE_DIR) + "/" + name;
}

// Path of a file under ../shared/data, or "" when that folder is absent
// (a user's fresh clone): callers GTEST_SKIP with a clear message then.
inline std::string shared_data_path(const std::string& rel) {
  const std::string p = std::string(SOLEUS_TEST_SHARED_DATA_DIR) + "/" + rel;
  std::ifstream f(p);
  return f.good() ? p : std::string();
}

#define SOLEUS_REQUIRE_SHARED_DATA(var, rel)                                          \
  const std::string var = ::soleus_test::shared_data_path(rel);                       \
  if (var.empty()) {                                                                  \
    GTEST_SKIP() << "../shared/data/" << rel                                          \
                 << " is absent (fresh clone without the shared recordings): skipped"; \
  }

// Reads whitespace-separated numbers of every non-comment line.
inline std::vector<std::vector<double>> read_rows(const std::string& path) {
  std::ifstream f(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    std::vector<double> row;
    double v;
    while (s >> v) row.push_back(v);
    rows.push_back(row);
  }
  return rows;
}

}  // namespace soleus_test

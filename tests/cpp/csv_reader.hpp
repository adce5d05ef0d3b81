// Minimal CSV reading for the real recordings in ../shared/data (test helper):
// a header row of (optionally quoted) names, then numeric rows.
#pragma once

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace soleus_test {

struct CsvTable {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;
  const std::vector<double>* column(const std::string& name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return &columns[i];
    return nullptr;
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream s(line);
  while (std::getline(s, cell, ',')) {
    while (!cell.empty() && (cell.back() == '\r' || cell.back() == ' ')) cell.pop_back();
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
    out.push_back(cell);
  }
  return out;
}

// has_header = false: columns are named "0", "1", ...
inline CsvTable read_csv(const std::string& path, bool has_header = true) {
  CsvTable t;
  std::ifstream f(path);
  std::string line;
  bool first = true;
  while (std::getline(f, line)) {
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> cells = split_csv_line(line);
    if (first) {
      first = false;
      if (has_header) {
        t.names = cells;
        t.columns.resize(cells.size());
        continue;
      }
      for (std::size_t i = 0; i < cells.size(); ++i) t.names.push_back(std::to_string(i));
      t.columns.resize(cells.size());
    }
    for (std::size_t i = 0; i < cells.size() && i < t.columns.size(); ++i)
      t.columns[i].push_back(std::strtod(cells[i].c_str(), nullptr));
  }
  return t;
}

}  // namespace soleus_test

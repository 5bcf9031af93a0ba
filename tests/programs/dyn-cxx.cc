// SPDX-License-Identifier: GPL-2.0-or-later
// A dynamic C++ program: iostreams, exceptions, std::string, containers.
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

static int parse(const std::string &s)
{
    if (s.empty()) {
        throw std::invalid_argument("empty string");
    }
    return std::stoi(s);
}

int main()
{
    std::vector<std::string> words{"delta", "alpha", "charlie", "bravo"};
    std::sort(words.begin(), words.end());
    std::map<std::string, size_t> len;
    for (const auto &w : words) {
        len[w] = w.size();
    }
    std::ostringstream out;
    for (const auto &kv : len) {
        out << kv.first << "=" << kv.second << " ";
    }
    std::cout << out.str() << std::endl;
    try {
        parse("");
    } catch (const std::exception &e) {
        std::cout << "caught: " << e.what() << std::endl;
    }
    std::cout << "sum " << parse("40") + parse("2") << std::endl;
    return 0;
}

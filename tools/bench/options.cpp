#include "options.h"

#include <arpa/inet.h>

#include <algorithm>

namespace Confab::Bench {

bool Options::parse(int argc, char **argv, std::string *error)
{
    if (argc < 2) {
        *error = "no scenario";
        return false;
    }
    scenario = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string key = argv[i];
        if (key.rfind("--", 0) != 0 || i + 1 >= argc) {
            *error = "expected --key value, got " + key;
            return false;
        }
        m_values[key.substr(2)] = argv[++i];
    }
    return true;
}

std::string Options::text(const std::string &key, const std::string &fallback) const
{
    const auto it = m_values.find(key);
    return it == m_values.end() ? fallback : it->second;
}

double Options::number(const std::string &key, double fallback) const
{
    const auto it = m_values.find(key);
    return it == m_values.end() ? fallback : std::stod(it->second);
}

bool Options::target(Target *target, std::string *error, const std::string &key) const
{
    return parseTarget(text(key, "http://127.0.0.1:7480"), target, error);
}

bool Options::targets(std::vector<Target> *targets, std::string *error, const std::string &key) const
{
    const std::string list = text(key, "");
    for (size_t start = 0; start < list.size();) {
        const size_t comma = std::min(list.find(',', start), list.size());
        Target target;
        if (!parseTarget(list.substr(start, comma - start), &target, error))
            return false;
        targets->push_back(target);
        start = comma + 1;
    }
    if (targets->empty())
        *error = "--" + key + " needs at least one URL";
    return !targets->empty();
}

bool parseTarget(std::string url, Target *target, std::string *error)
{
    if (url.rfind("http://", 0) == 0)
        url = url.substr(7);
    const size_t colon = url.find(':');
    std::string host = url.substr(0, colon);
    const int port = colon == std::string::npos ? 80 : std::stoi(url.substr(colon + 1));
    if (host == "localhost")
        host = "127.0.0.1";
    target->address.sin_family = AF_INET;
    target->address.sin_port = htons(uint16_t(port));
    if (inet_pton(AF_INET, host.c_str(), &target->address.sin_addr) != 1) {
        *error = "--url needs an IPv4 address: " + host;
        return false;
    }
    target->host = host + ":" + std::to_string(port);
    return true;
}

in_addr_t Options::source(int index) const
{
    const int sources = int(number("sources", 1));
    if (sources <= 1)
        return htonl(INADDR_ANY);
    return htonl((127u << 24) | uint32_t(1 + index % sources));
}

} // namespace Confab::Bench

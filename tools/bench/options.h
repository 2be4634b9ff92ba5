// confab-bench's command line: a scenario name, then --key value pairs.
#pragma once

#include <netinet/in.h>

#include <map>
#include <string>
#include <vector>

namespace Confab::Bench {

struct Target
{
    sockaddr_in address {};
    std::string host; // for the Host header
};

// http://host:port (IPv4 literal or localhost).
bool parseTarget(std::string url, Target *target, std::string *error);

class Options
{
public:
    bool parse(int argc, char **argv, std::string *error);
    std::string scenario;
    std::string text(const std::string &key, const std::string &fallback) const;
    double number(const std::string &key, double fallback) const;
    // --url http://127.0.0.1:7480 (IPv4 literal or localhost).
    bool target(Target *target, std::string *error, const std::string &key = "url") const;
    // A comma-separated list of such URLs.
    bool targets(std::vector<Target> *targets, std::string *error, const std::string &key) const;
    // --sources N: 127.0.0.1 .. 127.0.0.N as source addresses.
    in_addr_t source(int index) const;

private:
    std::map<std::string, std::string> m_values;
};

} // namespace Confab::Bench

// The generator's set-up calls (register, login): blocking HTTP/1.1 with a JSON body.
// Off the measured path, so plain sockets are enough.
#pragma once

#include <netinet/in.h>

#include <string>

namespace Confab::Bench {

struct HttpAnswer
{
    int status = 0;
    std::string body;
};

HttpAnswer request(const sockaddr_in &server, const std::string &host, const std::string &method,
                   const std::string &path, const std::string &json = {});
HttpAnswer postJson(const sockaddr_in &server, const std::string &host, const std::string &path,
                    const std::string &json);
// A login token for user (registered first when needed); empty when the server says no.
std::string tokenFor(const sockaddr_in &server, const std::string &host, const std::string &user);
// The value of a string field in a flat JSON object (enough for {"token":"..."}).
std::string jsonString(const std::string &json, const std::string &field);

} // namespace Confab::Bench

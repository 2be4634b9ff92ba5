#include "httpapi.h"

#include <sys/socket.h>
#include <unistd.h>

namespace Confab::Bench {

HttpAnswer postJson(const sockaddr_in &server, const std::string &host, const std::string &path,
                    const std::string &json)
{
    return request(server, host, "POST", path, json);
}

HttpAnswer request(const sockaddr_in &server, const std::string &host, const std::string &method,
                   const std::string &path, const std::string &json)
{
    HttpAnswer answer;
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr *>(&server), sizeof server) != 0) {
        if (fd >= 0)
            close(fd);
        return answer;
    }
    const std::string head = method + " " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + std::to_string(json.size())
        + "\r\n\r\n" + json;
    send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    std::string response;
    char buffer[4096];
    for (ssize_t got; (got = read(fd, buffer, sizeof buffer)) > 0;)
        response.append(buffer, size_t(got));
    close(fd);
    if (response.size() > 12)
        answer.status = std::atoi(response.c_str() + 9);
    const size_t body = response.find("\r\n\r\n");
    if (body != std::string::npos)
        answer.body = response.substr(body + 4);
    return answer;
}

std::string jsonString(const std::string &json, const std::string &field)
{
    const std::string key = "\"" + field + "\":\"";
    const size_t start = json.find(key);
    if (start == std::string::npos)
        return {};
    const size_t end = json.find('"', start + key.size());
    return end == std::string::npos ? std::string() : json.substr(start + key.size(), end - start - key.size());
}

std::string tokenFor(const sockaddr_in &server, const std::string &host, const std::string &user)
{
    const std::string credentials = "{\"username\":\"" + user + "\",\"password\":\"confab-bench-password\"}";
    HttpAnswer answer = postJson(server, host, "/api/v1/register", credentials);
    if (answer.status == 409)
        answer = postJson(server, host, "/api/v1/login", credentials);
    if (answer.status == 404) // not a Confab server (the stock Socket.IO one): any token will do
        return "stock-server";
    return jsonString(answer.body, "token");
}

} // namespace Confab::Bench

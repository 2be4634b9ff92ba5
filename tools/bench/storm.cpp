// storm: clients held on a cluster through its load balancers, one node killed. Reports
// how long until every client that lost its node is connected again (each reconnecting
// like a stock Socket.IO client: 1 s doubling to 5 s, ±50 % jitter), whether any message
// the cluster acknowledged during the storm is missing from the room's history, and the
// highest load level the nodes reported meanwhile.
#include "eventloop.h"
#include "httpapi.h"
#include "options.h"
#include "scenarios.h"
#include "stats.h"
#include "stormchildren.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace Confab::Bench {

namespace {

double loadLevel(const Target &node)
{
    const HttpAnswer answer = request(node.address, node.host, "GET", "/metrics");
    const size_t at = answer.body.find("\nconfab_load_level ");
    return answer.status == 200 && at != std::string::npos ? std::atof(answer.body.c_str() + at + 19) : -1;
}

// The parent of a storm: forks the client holders and the publisher, follows their report
// lines, kills the node once everyone is connected and settled, and reports.
class StormRun
{
public:
    explicit StormRun(const Options &options)
        : m_options(options)
    {
    }
    int run();

private:
    int prepare();
    bool forkChildren();
    bool pump(int waitMs);
    void readReportLine(const std::string &line);
    int totalUp() const;
    void watchLoad();
    void waitForClients();
    void settle();
    void killNodeAndWaitForReturn();
    void stopChildren();
    int printReport();

    const Options &m_options;
    std::vector<Target> m_balancers, m_nodes;
    int m_count = 0;
    int m_processes = 0;
    int m_killPid = 0;
    double m_timeoutS = 0;
    std::string m_token;

    int m_reports[2] {};
    double m_cpuBefore = 0;
    std::vector<pid_t> m_children;
    std::vector<int> m_up;
    std::vector<int64_t> m_backNs;
    std::string m_publishReport;
    std::string m_pending;
    double m_maxLevel = 0;
    int64_t m_lastLevelCheck = 0;

    int64_t m_startNs = 0;
    double m_connectSeconds = 0;
    int m_connectedBefore = 0;
    int64_t m_allBackNs = 0;
};

// Reads the options and registers the clients' user; 0, or the exit code.
int StormRun::prepare()
{
    std::string error;
    if (!m_options.targets(&m_balancers, &error, "urls") || !m_options.targets(&m_nodes, &error, "node-urls"))
        return fprintf(stderr, "confab-bench: %s\n", error.c_str()), 2;
    m_count = int(m_options.number("clients", 1000));
    m_processes = std::max(1, int(m_options.number("processes", 1)));
    m_killPid = int(m_options.number("kill-pid", 0));
    m_timeoutS = m_options.number("timeout", 60);
    m_token = tokenFor(m_balancers[0].address, m_balancers[0].host, "storm" + std::to_string(getpid()));
    if (m_token.empty())
        return fprintf(stderr, "confab-bench: cannot register at %s\n", m_balancers[0].host.c_str()), 1;
    return 0;
}

int StormRun::run()
{
    if (const int failed = prepare())
        return failed;
    if (!forkChildren())
        return 1;
    m_up.assign(size_t(m_processes), 0);
    waitForClients();
    settle();
    killNodeAndWaitForReturn();
    stopChildren();
    return printReport();
}

// One child per share of the clients, and the publisher last; all write to one pipe.
bool StormRun::forkChildren()
{
    if (pipe(m_reports) != 0)
        return false;
    m_cpuBefore = ownCpuSeconds();
    for (int i = 0; i <= m_processes; ++i) {
        const pid_t child = fork();
        if (child == 0) {
            close(m_reports[0]);
            if (i == m_processes)
                publish(m_options, m_balancers, m_token, m_reports[1]);
            else
                holdClients(m_options, m_balancers, m_token,
                            m_count / m_processes + (i < m_count % m_processes ? 1 : 0),
                            i * (m_count / m_processes + 1), i, m_reports[1]);
            _exit(0);
        }
        m_children.push_back(child);
    }
    close(m_reports[1]);
    return true;
}

// Reads report lines for up to `waitMs`; returns false once the pipe is closed.
bool StormRun::pump(int waitMs)
{
    pollfd poller { m_reports[0], POLLIN, 0 };
    if (poll(&poller, 1, waitMs) <= 0)
        return true;
    char buffer[65536];
    const ssize_t got = read(m_reports[0], buffer, sizeof buffer);
    if (got <= 0)
        return false;
    m_pending.append(buffer, size_t(got));
    for (size_t end; (end = m_pending.find('\n')) != std::string::npos; m_pending.erase(0, end + 1))
        readReportLine(m_pending.substr(0, end));
    return true;
}

void StormRun::readReportLine(const std::string &text)
{
    std::istringstream line(text);
    std::string kind;
    line >> kind;
    if (kind == "up") {
        int child = 0, n = 0;
        line >> child >> n;
        m_up[size_t(child)] = n;
    } else if (kind == "back") {
        int64_t ms = 0;
        line >> ms;
        m_backNs.push_back(ms * 1'000'000);
    } else if (kind == "published") {
        m_publishReport = text;
    }
}

int StormRun::totalUp() const
{
    int sum = 0;
    for (int n : m_up)
        sum += n;
    return sum;
}

// The nodes' highest load level, asked at most every 250 ms.
void StormRun::watchLoad()
{
    const int64_t now = EventLoop::nowNs();
    if (now - m_lastLevelCheck < 250'000'000)
        return;
    m_lastLevelCheck = now;
    for (const Target &node : m_nodes)
        m_maxLevel = std::max(m_maxLevel, loadLevel(node));
}

void StormRun::waitForClients()
{
    m_startNs = EventLoop::nowNs();
    while (totalUp() < m_count && EventLoop::nowNs() - m_startNs < int64_t(m_timeoutS * 1e9) && pump(100)) { }
    m_connectSeconds = double(EventLoop::nowNs() - m_startNs) / 1e9;
    m_connectedBefore = totalUp();
}

// Settle with the publisher running, before the node is killed.
void StormRun::settle()
{
    for (int64_t until = EventLoop::nowNs() + int64_t(m_options.number("settle", 3) * 1e9); EventLoop::nowNs() < until;)
        pump(100), watchLoad();
}

// Kills the node, then waits until as many clients are up as before, after the drop has
// been seen (or the timeout).
void StormRun::killNodeAndWaitForReturn()
{
    const int64_t killNs = EventLoop::nowNs();
    if (m_killPid > 0)
        kill(m_killPid, SIGKILL);
    int lowest = m_count;
    int64_t lastProgress = killNs;
    while (EventLoop::nowNs() - killNs < int64_t(m_timeoutS * 1e9) && pump(50)) {
        watchLoad();
        if (m_options.number("progress", 0) != 0 && EventLoop::nowNs() - lastProgress >= 1'000'000'000) {
            lastProgress = EventLoop::nowNs();
            fprintf(stderr, "storm: %.0f s after the kill: %d of %d connected\n", double(lastProgress - killNs) / 1e9,
                    totalUp(), m_connectedBefore);
        }
        lowest = std::min(lowest, totalUp());
        if (lowest < m_connectedBefore && totalUp() >= m_connectedBefore) {
            m_allBackNs = EventLoop::nowNs() - killNs;
            break;
        }
    }
}

// The publisher checks the history and reports (up to 40 s), then every child goes.
void StormRun::stopChildren()
{
    kill(m_children.back(), SIGUSR1);
    for (int64_t until = EventLoop::nowNs() + 40'000'000'000; m_publishReport.empty() && EventLoop::nowNs() < until;)
        pump(100);
    for (const pid_t child : m_children)
        kill(child, SIGTERM);
    for (const pid_t child : m_children)
        waitpid(child, nullptr, 0);
}

// The JSON line; the exit code says whether everyone came back and nothing acked was lost.
int StormRun::printReport()
{
    rusage childUsage {};
    getrusage(RUSAGE_CHILDREN, &childUsage); // the client processes and the publisher
    const double generatorCpu = ownCpuSeconds() - m_cpuBefore
        + double(childUsage.ru_utime.tv_sec + childUsage.ru_stime.tv_sec)
        + double(childUsage.ru_utime.tv_usec + childUsage.ru_stime.tv_usec) / 1e6;
    long published = 0, acked = 0, lost = -1, unacked = 0;
    sscanf(m_publishReport.c_str(), "published %ld acked %ld lost %ld unacked %ld", &published, &acked, &lost,
           &unacked);
    const size_t dropped = m_backNs.size() + size_t(std::max(0, m_connectedBefore - totalUp()));
    printf("{\"scenario\":\"storm\",\"clients\":%d,\"connected\":%d,\"connectSeconds\":%.1f,\"dropped\":%zu,"
           "\"allBack\":%s,\"allBackSeconds\":%.2f,\"backP50Ms\":%.0f,\"backP99Ms\":%.0f,\"backMaxMs\":%.0f,"
           "\"published\":%ld,\"acked\":%ld,\"unacked\":%ld,\"lostAcked\":%ld,\"maxLoadLevel\":%.0f,\"generatorCpu\":%."
           "2f}\n",
           m_count, m_connectedBefore, m_connectSeconds, dropped, m_allBackNs > 0 ? "true" : "false",
           double(m_allBackNs) / 1e9, percentileMs(m_backNs, 0.5), percentileMs(m_backNs, 0.99),
           percentileMs(m_backNs, 1.0), published, acked, unacked, lost, m_maxLevel,
           generatorCpu / (double(EventLoop::nowNs() - m_startNs) / 1e9));
    return m_allBackNs > 0 && lost == 0 ? 0 : 1;
}

} // namespace

int runStorm(const Options &options)
{
    return StormRun(options).run();
}

} // namespace Confab::Bench

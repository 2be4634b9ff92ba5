// A running confabd: the backend chat runs on (embedded or cluster), the Engine.IO and
// Socket.IO servers, chat, the HTTP API and the listener, wired together once; the load
// guard's drain and the signals that end the process.
#pragma once

#include "app/nodeconfig.h"
#include "ops/metrics.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace Confab::Api {
class ApiHandler;
class FilesHandler;
struct NodeControl;
}
namespace Confab::Auth {
class TokenSigner;
}
namespace Confab::Chat {
class ChatService;
}
namespace Confab::EngineIo {
class EngineServer;
}
namespace Confab::Files {
class FileStore;
class FilesCollector;
}
namespace Confab::Ops {
class LoadMonitor;
class SignalWatcher;
}
namespace Confab::Realtime {
class Server;
}
namespace Confab::Transport {
class Listener;
}
namespace Confab::WebSocket {
class IoPool;
}

namespace Confab::App {

class LoadGuard;
class NodeBackend;

class Node : public QObject
{
    Q_OBJECT
public:
    explicit Node(const NodeConfig &config, QObject *parent = nullptr);
    ~Node() override;

    // Opens the store, serves the port and says so on stdout; false with *error when the
    // node cannot run. SIGTERM then drains it and quits the application.
    bool start(QString *error);

private:
    bool loadSecrets(QString *error);
    bool openBackend(QString *error);
    void createServers();
    bool createApi(QString *error);
    Api::NodeControl nodeControl();
    bool listen(QString *error);
    void watchSignals();
    void quitNow();
    void announce();

    const NodeConfig m_config;
    Ops::Metrics m_metrics;
    QByteArray m_adminToken;
    std::unique_ptr<Auth::TokenSigner> m_tokens;
    std::unique_ptr<NodeBackend> m_backend;
    std::unique_ptr<WebSocket::IoPool> m_ioPool; // the WebSocket threads; outlives the engine's sessions
    std::unique_ptr<EngineIo::EngineServer> m_engine;
    std::unique_ptr<Realtime::Server> m_io;
    std::unique_ptr<Ops::LoadMonitor> m_loadMonitor;
    std::unique_ptr<LoadGuard> m_guard;
    std::unique_ptr<Chat::ChatService> m_chat;
    std::unique_ptr<Api::ApiHandler> m_api;
    std::unique_ptr<Files::FileStore> m_fileStore;
    std::unique_ptr<Api::FilesHandler> m_files;
    std::unique_ptr<Files::FilesCollector> m_filesCollector;
    // Last, so it closes first: no request reaches what is already gone.
    std::unique_ptr<Transport::Listener> m_listener;
    std::unique_ptr<Ops::SignalWatcher> m_signals;
    QHostAddress m_address;
};

} // namespace Confab::App

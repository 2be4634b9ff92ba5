// Files over HTTP (protocol v2, "Files (HTTP)"): POST /api/v1/files?name=NAME streams
// an upload to the file store (never the whole body in memory), checked against the
// size limit and the uploader's quota before a byte is read, and answers 201 only when
// the bytes and the record are durable. GET /api/v1/files/<id> serves a file to whoever
// may see it, with Range, ETag and a Content-Disposition that shows only images inline.
#pragma once

#include "api/offloop.h"
#include "transport/httphandler.h"
#include "transport/httpresponse.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace Confab::Auth {
class TokenSigner;
}
namespace Confab::Chat {
class Store;
struct FileRecord;
}
namespace Confab::Files {
class FileStore;
class FileUpload;
}
namespace Confab::Ops {
class Metrics;
}
namespace Confab::Transport {
class HttpConnection;
}

namespace Confab::Api {

struct FilesOptions
{
    qint64 maxFileBytes = 25 * 1024 * 1024;
    qint64 quotaBytes = 1024LL * 1024 * 1024; // per user
};

class FilesHandler : public QObject, public Transport::HttpHandler
{
    Q_OBJECT
public:
    FilesHandler(Chat::Store *store, Files::FileStore *files, const Auth::TokenSigner *tokens, Ops::Metrics *metrics,
                 const FilesOptions &options, QObject *parent = nullptr);
    ~FilesHandler() override;

    Transport::HttpBodyPlan planBody(const Transport::HttpRequest &head) override;
    void handleRequest(Transport::HttpConnection *connection, const Transport::HttpRequest &request) override;

private:
    friend class UploadSink;
    // The user a request's bearer token (header, or ?token= for downloads) names, if the
    // account exists and is enabled; refusal says why not (401, or 503 for the store).
    std::optional<QString> authenticate(const Transport::HttpRequest &request, bool allowQueryToken,
                                        std::optional<Transport::HttpResponse> *refusal) const;
    Transport::HttpBodyPlan planUpload(const Transport::HttpRequest &head); // filesupload.cpp
    void finishUpload(Transport::HttpConnection *connection, std::unique_ptr<Files::FileUpload> upload,
                      Chat::FileRecord record);
    void download(Transport::HttpConnection *connection, const Transport::HttpRequest &request,
                  const QByteArray &id); // filesdownload.cpp
    bool maySee(const QString &user, const Chat::FileRecord &file);

    Chat::Store *m_store;
    Files::FileStore *m_files;
    const Auth::TokenSigner *m_tokens;
    Ops::Metrics *m_metrics;
    FilesOptions m_options;
    QHash<QString, qint64> m_reserved; // bytes of each user's uploads in progress (quota)
    OffLoopRunner m_syncs { 2 };       // fsync and rename, off the event loop; last: stops first
};

// A JSON error answer, as the rest of the API gives them.
Transport::HttpResponse fileError(int status, const QString &message);

} // namespace Confab::Api

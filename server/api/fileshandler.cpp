#include "api/fileshandler.h"

#include "auth/tokens.h"
#include "chat/store.h"
#include "files/filestore.h"
#include "ops/metrics.h"
#include "transport/httpconnection.h"

#include <QDateTime>

namespace Confab::Api {

using Transport::HttpBodyPlan;
using Transport::HttpConnection;
using Transport::HttpRequest;
using Transport::HttpResponse;

namespace {

constexpr QByteArrayView FilesPath = "/api/v1/files";
constexpr QByteArrayView FilesPrefix = "/api/v1/files/";

} // namespace

HttpResponse fileError(int status, const QString &message)
{
    return HttpResponse::json(status, { { QStringLiteral("error"), message } });
}

FilesHandler::FilesHandler(Chat::Store *store, Files::FileStore *files, const Auth::TokenSigner *tokens,
                           Ops::Metrics *metrics, const FilesOptions &options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_files(files)
    , m_tokens(tokens)
    , m_metrics(metrics)
    , m_options(options)
{
    metrics->describe("confab_files_uploaded_total", Ops::Metrics::Counter, "Uploads stored (answered 201)");
    metrics->describe("confab_file_upload_bytes_total", Ops::Metrics::Counter, "Bytes of the uploads stored");
    metrics->describe("confab_file_uploads_refused_total", Ops::Metrics::Counter,
                      "Uploads refused or failed, by HTTP status");
    metrics->describe("confab_file_downloads_total", Ops::Metrics::Counter, "File downloads, by HTTP status");
}

FilesHandler::~FilesHandler() = default;

std::optional<QString> FilesHandler::authenticate(const HttpRequest &request, bool allowQueryToken,
                                                  std::optional<HttpResponse> *refusal) const
{
    QByteArray token;
    if (const QByteArray header = request.header("authorization"); header.startsWith("Bearer "))
        token = header.mid(7).trimmed();
    else if (allowQueryToken)
        token = request.queryItem(QStringLiteral("token")).toLatin1();
    const auto claims = token.isEmpty() ? std::nullopt : m_tokens->verify(token, QDateTime::currentSecsSinceEpoch());
    if (!claims) {
        *refusal = fileError(401, QStringLiteral("a valid login token is needed"));
        return std::nullopt;
    }
    const auto user = m_store->findUser(claims->user);
    if (!m_store->isAvailable()) {
        HttpResponse unavailable = fileError(503, QStringLiteral("the store is unreachable; retry"));
        unavailable.setHeader("Retry-After", "2");
        *refusal = unavailable;
        return std::nullopt;
    }
    if (!user || user->disabled) {
        *refusal = fileError(401, QStringLiteral("a valid login token is needed"));
        return std::nullopt;
    }
    return claims->user;
}

HttpBodyPlan FilesHandler::planBody(const HttpRequest &head)
{
    if (head.method == "POST" && head.path == FilesPath)
        return planUpload(head);
    return {}; // anything else has no body worth streaming: read (within limits) and routed
}

void FilesHandler::handleRequest(HttpConnection *connection, const HttpRequest &request)
{
    const QByteArray &path = request.path;
    if (path.startsWith(FilesPrefix) && request.method == "GET")
        return download(connection, request, path.mid(FilesPrefix.size()));
    if (path == FilesPath || path.startsWith(FilesPrefix))
        return connection->respond(fileError(405,
                                             QStringLiteral("upload with POST /api/v1/files?name=NAME,"
                                                            " download with GET /api/v1/files/ID")));
    connection->respond(fileError(404, QStringLiteral("no such endpoint")));
}

// The uploader always; anyone else while a message they can read carries it.
bool FilesHandler::maySee(const QString &user, const Chat::FileRecord &file)
{
    return file.uploader == user || m_store->mayAccessFile(user, file.id);
}

} // namespace Confab::Api

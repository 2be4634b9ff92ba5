#include "filetransfers.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

namespace Confab::Client {

using Chat::Error;
using Chat::ErrorCode;
using Chat::Result;

namespace {

// A transfer that moves no byte for this long is given up (and retried by the caller).
constexpr int StallTimeoutMs = 30000;

QNetworkRequest authorized(const QUrl &url, const QSslConfiguration &ssl, const QString &token)
{
    QNetworkRequest request(url);
    request.setSslConfiguration(ssl);
    request.setTransferTimeout(StallTimeoutMs);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    return request;
}

// An id is the server's: letters, digits, '-' and '_' only, so it is safe as a file name.
bool isSafeId(const QByteArray &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (const char c : id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
            return false;
    }
    return true;
}

// Downloads in progress write ".download-<random>.part" (two at once never share one).
bool isPartName(const QString &name)
{
    return name.startsWith(QLatin1String(".download-")) && name.endsWith(QLatin1String(".part"));
}

// The complete file in a cache folder (<cache>/<id>/<its name>), if there is one.
QString cachedFileIn(const QString &folder)
{
    const QStringList names = QDir(folder).entryList(QDir::Files | QDir::Hidden);
    for (const QString &name : names) {
        if (!isPartName(name))
            return QDir(folder).filePath(name);
    }
    return {};
}

} // namespace

QString FileTransfers::dispositionName(const QByteArray &header)
{
    QString plain, extended;
    for (QByteArray part : header.split(';')) {
        part = part.trimmed();
        if (part.startsWith("filename*=")) {
            const QByteArray value = part.mid(qstrlen("filename*="));
            const qsizetype quote = value.indexOf("''");
            if (quote >= 0 && value.left(quote).compare("UTF-8", Qt::CaseInsensitive) == 0)
                extended = QString::fromUtf8(QByteArray::fromPercentEncoding(value.mid(quote + 2)));
        } else if (part.startsWith("filename=")) {
            QByteArray value = part.mid(qstrlen("filename="));
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            plain = QString::fromUtf8(value);
        }
    }
    // Never a path: only what follows the last separator.
    QString name = extended.isEmpty() ? plain : extended;
    name = name.mid(std::max(name.lastIndexOf(u'/'), name.lastIndexOf(u'\\')) + 1);
    return name == QLatin1String(".") || name == QLatin1String("..") ? QString() : name;
}

Error FileTransfers::errorOf(QNetworkReply *reply)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString said = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("error")).toString();
    const QString message = said.isEmpty() ? reply->errorString() : said;
    switch (status) {
    case 400:
    case 411: return { ErrorCode::BadRequest, message };
    case 401: return { ErrorCode::Unauthorized, message };
    case 404: return { ErrorCode::NotFound, message };
    case 413:
    case 507: return { ErrorCode::TooLarge, message };
    case 429: return { ErrorCode::RateLimited, message };
    default: return { ErrorCode::Unavailable, message };
    }
}

FileTransfers::FileTransfers(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
}

void FileTransfers::setServer(const QUrl &server, const QSslConfiguration &ssl)
{
    m_server = server;
    m_ssl = ssl;
}

QUrl FileTransfers::url(const QString &path) const
{
    QUrl url = m_server;
    url.setPath(path);
    return url;
}

FileUpload *FileTransfers::upload(const QString &path)
{
    auto *upload = new FileUpload(path, this);
    const QByteArray type = QMimeDatabase().mimeTypeForFile(path).name().toUtf8();
    QUrl target = url(QStringLiteral("/api/v1/files"));
    target.setQuery({ { QStringLiteral("name"), QFileInfo(path).fileName() } });
    // Started from the event loop, so the caller connects to its signals first.
    QTimer::singleShot(0, upload, [=, this] { upload->start(m_network, target, m_ssl, m_token, type); });
    return upload;
}

QString FileTransfers::cachedPath(const QByteArray &id) const
{
    return isSafeId(id) && !m_cacheDir.isEmpty() ? QDir(m_cacheDir).filePath(QString::fromLatin1(id)) : QString();
}

bool FileTransfers::isCached(const QByteArray &id) const
{
    const QString folder = cachedPath(id);
    return !folder.isEmpty() && !cachedFileIn(folder).isEmpty();
}

bool FileTransfers::addToCache(const QByteArray &id, const QString &path)
{
    const QString folder = cachedPath(id);
    if (folder.isEmpty() || !QDir().mkpath(folder))
        return false;
    if (isCached(id))
        return true;
    // Copied beside under a part name, then renamed: a reader never sees half of it.
    const QString part
        = QDir(folder).filePath(QStringLiteral(".download-%1.part").arg(QUuid::createUuid().toString(QUuid::Id128)));
    if (!QFile::copy(path, part))
        return false;
    if (QFile::rename(part, QDir(folder).filePath(QFileInfo(path).fileName())))
        return true;
    QFile::remove(part);
    return false;
}

FileDownload *FileTransfers::download(const QByteArray &id)
{
    auto *download = new FileDownload(this);
    const QString cached = cachedPath(id);
    QTimer::singleShot(0, download, [=, this] {
        if (cached.isEmpty())
            return download->finish(
                Error { ErrorCode::BadRequest, tr("not a file id: %1").arg(QString::fromLatin1(id)) });
        if (const QString file = cachedFileIn(cached); !file.isEmpty())
            return download->finish(DownloadedFile { file, QFileInfo(file).fileName() });
        download->start(m_network, url(QStringLiteral("/api/v1/files/") + QString::fromLatin1(id)), m_ssl, m_token,
                        cached);
    });
    return download;
}

FileUpload::FileUpload(const QString &path, QObject *parent)
    : QObject(parent)
    , m_file(path)
{
}

void FileUpload::start(QNetworkAccessManager *network, const QUrl &url, const QSslConfiguration &ssl,
                       const QString &token, const QByteArray &type)
{
    if (m_finished)
        return; // cancelled before it started
    if (!m_file.open(QIODevice::ReadOnly))
        return finish(
            Error { ErrorCode::BadRequest, tr("cannot read %1: %2").arg(m_file.fileName(), m_file.errorString()) });
    QNetworkRequest request = authorized(url, ssl, token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, type);
    request.setHeader(QNetworkRequest::ContentLengthHeader, m_file.size());
    m_reply = network->post(request, &m_file); // streamed from the file, never read whole
    connect(m_reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0) { // Qt reports (0, 0) once the body is gone: not a step back for a progress bar
            m_sent = sent;
            Q_EMIT progress(sent, total);
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, [this] {
        QNetworkReply *reply = m_reply;
        reply->deleteLater();
        if (reply->error() == QNetworkReply::OperationCanceledError && m_finished)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // Part of the body went and then the connection went, with no answer read.
        m_cutOff = status == 0 && m_sent > 0 && m_sent < m_file.size();
        if (status != 201)
            return finish(FileTransfers::errorOf(reply));
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        finish(UploadedFile {
            answer.value(QStringLiteral("id")).toString().toLatin1(), answer.value(QStringLiteral("name")).toString(),
            answer.value(QStringLiteral("size")).toInteger(), answer.value(QStringLiteral("type")).toString().toUtf8(),
            answer.value(QStringLiteral("sha256")).toString().toLatin1() });
    });
}

void FileUpload::cancel()
{
    finish(Error { ErrorCode::BadRequest, tr("cancelled") });
    if (m_reply)
        m_reply->abort();
}

void FileUpload::finish(const Result<UploadedFile> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(result);
    deleteLater();
}

void FileDownload::start(QNetworkAccessManager *network, const QUrl &url, const QSslConfiguration &ssl,
                         const QString &token, const QString &cachePath)
{
    if (m_finished)
        return;
    m_cachePath = cachePath;
    QDir().mkpath(cachePath);
    // Written beside the cached name and renamed when complete: a cut download is never taken
    // for the file.
    m_part.setFileName(
        QDir(cachePath).filePath(QStringLiteral(".download-%1.part").arg(QUuid::createUuid().toString(QUuid::Id128))));
    if (!m_part.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return finish(
            Error { ErrorCode::Unavailable, tr("cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()) });
    m_reply = network->get(authorized(url, ssl, token));
    connect(m_reply, &QNetworkReply::downloadProgress, this, &FileDownload::progress);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        if (m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
            return; // an error's body: errorOf reads it
        const QByteArray bytes = m_reply->readAll();
        if (m_part.write(bytes) != bytes.size()) {
            finish(Error { ErrorCode::Unavailable,
                           tr("cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()) });
            m_reply->abort();
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, [this] {
        QNetworkReply *reply = m_reply;
        reply->deleteLater();
        if (m_finished)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200 || reply->error() != QNetworkReply::NoError)
            return finish(FileTransfers::errorOf(reply));
        m_part.write(reply->readAll());
        if (!m_part.flush()) {
            return finish(Error { ErrorCode::Unavailable,
                                  tr("cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()) });
        }
        m_part.close();
        // Kept under its own name, so a program opening it knows it by its extension.
        const QString given = FileTransfers::dispositionName(reply->rawHeader("Content-Disposition"));
        const QString name = given.isEmpty() || isPartName(given) ? QStringLiteral("file") : given;
        const QString file = QDir(m_cachePath).filePath(name);
        QFile::remove(file);
        if (!QFile::rename(m_part.fileName(), file))
            return finish(Error { ErrorCode::Unavailable, tr("cannot keep %1").arg(file) });
        finish(DownloadedFile { file, given });
    });
}

void FileDownload::cancel()
{
    finish(Error { ErrorCode::BadRequest, tr("cancelled") });
    if (m_reply)
        m_reply->abort();
}

void FileDownload::finish(const Result<DownloadedFile> &result)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!result && m_part.isOpen()) {
        m_part.close();
        m_part.remove();
    }
    Q_EMIT finished(result);
    deleteLater();
}

} // namespace Confab::Client

// Files over the server's HTTP API (protocol v2): uploads streamed from disk with progress
// and cancel, downloads kept in an on-disk cache by file id (a file's bytes never change,
// so a cached copy is never stale).
#pragma once

#include "chat/errors.h"

#include <QFile>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace Confab::Client {

// POST /api/v1/files's answer.
struct UploadedFile
{
    QByteArray id {};
    QString name {};
    qint64 size = 0;
    QByteArray type {};
    QByteArray sha256 {};
};

// One upload in flight. finished comes exactly once (also after cancel), then the object
// deletes itself later.
class FileUpload : public QObject
{
    Q_OBJECT
public:
    void cancel();
    QString path() const { return m_file.fileName(); }
    // The connection ended after part of the file was sent, with no answer this client
    // could read: what a server does to a body far over its limit (Qt reads no answer while
    // it is still sending), or a server going away mid-upload.
    bool wasCutOff() const { return m_cutOff; }

Q_SIGNALS:
    void progress(qint64 sent, qint64 total);
    void finished(const Confab::Chat::Result<Confab::Client::UploadedFile> &result);

private:
    friend class FileTransfers;
    explicit FileUpload(const QString &path, QObject *parent);
    void start(QNetworkAccessManager *network, const QUrl &url, const QSslConfiguration &ssl, const QString &token,
               const QByteArray &type);
    void finish(const Chat::Result<UploadedFile> &result);

    QFile m_file;
    QPointer<QNetworkReply> m_reply;
    qint64 m_sent = 0;
    bool m_cutOff = false;
    bool m_finished = false;
};

// A downloaded file: its cached copy (named as its uploader named it) and that name.
struct DownloadedFile
{
    QString path {};
    QString name {};
};

// One download: finished with the cached file, or an error.
class FileDownload : public QObject
{
    Q_OBJECT
public:
    void cancel();

Q_SIGNALS:
    void progress(qint64 received, qint64 total);
    void finished(const Confab::Chat::Result<Confab::Client::DownloadedFile> &file);

private:
    friend class FileTransfers;
    using QObject::QObject;
    void start(QNetworkAccessManager *network, const QUrl &url, const QSslConfiguration &ssl, const QString &token,
               const QString &cachePath);
    void finish(const Chat::Result<DownloadedFile> &result);

    QFile m_part;
    QString m_cachePath;
    QPointer<QNetworkReply> m_reply;
    bool m_finished = false;
};

class FileTransfers : public QObject
{
    Q_OBJECT
public:
    FileTransfers(QNetworkAccessManager *network, QObject *parent = nullptr);

    void setServer(const QUrl &server, const QSslConfiguration &ssl);
    void setToken(const QString &token) { m_token = token; }
    // Where downloads are kept (<dir>/<id>/<the file's name>); created when first needed.
    void setCacheDir(const QString &dir) { m_cacheDir = dir; }
    QString cacheDir() const { return m_cacheDir; }

    // The file's name on the server is its own; its type is what its content says it is.
    FileUpload *upload(const QString &path);
    // The cached copy when there is one (finished comes at once, from the event loop).
    FileDownload *download(const QByteArray &id);
    // The cache's folder for a file id; empty for an id that is not one.
    QString cachedPath(const QByteArray &id) const;
    // Whether a download of the file would be answered from the cache.
    bool isCached(const QByteArray &id) const;
    // A copy of a local file kept as the cached download of `id` (a file this client just
    // uploaded: no need to fetch it back). False when it cannot be written.
    bool addToCache(const QByteArray &id, const QString &path);
    // The file name in a Content-Disposition header (filename* first), without any folder.
    static QString dispositionName(const QByteArray &header);

    // The error an HTTP answer stands for: permanent for 4xx (413, 507: too_large), transient
    // (unavailable) for a network failure or the server's own trouble.
    static Chat::Error errorOf(QNetworkReply *reply);

private:
    QUrl url(const QString &path) const;

    QNetworkAccessManager *m_network;
    QUrl m_server;
    QSslConfiguration m_ssl;
    QString m_token;
    QString m_cacheDir;
};

} // namespace Confab::Client

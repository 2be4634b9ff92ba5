#include "files/filestore.h"

#include "util/ids.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <openssl/evp.h>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <utime.h>

namespace Confab::Files {

namespace {

// fsync of a directory, so a rename in it survives a crash.
bool syncDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace

FileStore::FileStore(const QString &directory)
    : m_directory(QDir::cleanPath(directory))
{
}

bool FileStore::open(QString *error)
{
    QDir temporaries(m_directory + QStringLiteral("/tmp"));
    if (!QDir().mkpath(temporaries.path())) {
        *error = QStringLiteral("cannot create the files directory %1").arg(temporaries.path());
        return false;
    }
    // Uploads that were being written when a node stopped: never answered, so nobody knows
    // them. Only old ones: in a cluster the other nodes' uploads in progress are here too.
    const QDateTime cut = QDateTime::currentDateTimeUtc().addMSecs(-StaleAfterMs);
    for (const QFileInfo &file : temporaries.entryInfoList(QDir::Files | QDir::Hidden)) {
        // A content a gc pass had set aside when its node stopped: back in place (the next
        // pass deletes it if no record wants it).
        if (file.suffix() == QLatin1String("gc") && file.lastModified() < cut)
            finishRemoval(file.completeBaseName().toLatin1(), true);
        else if (file.lastModified() < cut)
            QFile::remove(file.filePath());
    }
    return true;
}

QString FileStore::asidePathOf(const QByteArray &sha256) const
{
    return m_directory + QStringLiteral("/tmp/") + QLatin1StringView(sha256) + QStringLiteral(".gc");
}

std::optional<qint64> FileStore::setAside(const QByteArray &sha256, qint64 minimumAgeMs) const
{
    const QString path = pathOf(sha256);
    const QFileInfo file(path);
    // Recently written or touched: an upload of the same bytes may be about to record it.
    if (!file.exists() || file.lastModified() > QDateTime::currentDateTimeUtc().addMSecs(-minimumAgeMs))
        return std::nullopt;
    const qint64 size = file.size();
    if (::rename(QFile::encodeName(path).constData(), QFile::encodeName(asidePathOf(sha256)).constData()) != 0)
        return std::nullopt;
    return size;
}

qint64 FileStore::finishRemoval(const QByteArray &sha256, bool keep) const
{
    const QString aside = asidePathOf(sha256);
    const QFileInfo file(aside);
    const qint64 size = file.size();
    // An upload that found the content gone put its own copy in place: that one stays.
    if (keep && !QFileInfo::exists(pathOf(sha256))) {
        ::rename(QFile::encodeName(aside).constData(), QFile::encodeName(pathOf(sha256)).constData());
        return 0;
    }
    return QFile::remove(aside) && !keep ? size : 0;
}

QString FileStore::pathOf(const QByteArray &sha256) const
{
    return m_directory + u'/' + QLatin1StringView(sha256.left(2)) + u'/' + QLatin1StringView(sha256);
}

std::unique_ptr<FileUpload> FileStore::beginUpload(QString *error) const
{
    auto upload = std::make_unique<FileUpload>(this,
                                               m_directory + QStringLiteral("/tmp/") + QString::fromLatin1(randomId())
                                                   + QStringLiteral(".part"));
    if (!upload->open(error))
        return nullptr;
    return upload;
}

FileUpload::FileUpload(const FileStore *store, const QString &temporaryPath)
    : m_store(store)
    , m_file(temporaryPath)
    , m_hash(EVP_MD_CTX_new(), EVP_MD_CTX_free)
{
    EVP_DigestInit_ex(m_hash.get(), EVP_sha256(), nullptr);
}

FileUpload::~FileUpload()
{
    if (!m_committed)
        m_file.remove();
}

bool FileUpload::open(QString *error)
{
    if (m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return true;
    *error = QStringLiteral("cannot create %1: %2").arg(m_file.fileName(), m_file.errorString());
    return false;
}

bool FileUpload::write(QByteArrayView piece)
{
    EVP_DigestUpdate(m_hash.get(), piece.constData(), size_t(piece.size()));
    m_size += piece.size();
    return m_file.write(piece.constData(), piece.size()) == piece.size();
}

bool FileUpload::commit(QString *error)
{
    if (!m_file.flush() || ::fsync(m_file.handle()) != 0) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    m_file.close();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_hash.get(), digest, &length);
    m_sha256 = QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
    const QString target = m_store->pathOf(m_sha256);
    const QString directory = QFileInfo(target).path();
    // Stored already: that copy stays (touched, so a gc pass leaves it to the record this
    // upload is about to write). Otherwise a second name for this one: either way the
    // temporary is kept until the record is written (ensureInPlace).
    if (::utime(QFile::encodeName(target).constData(), nullptr) == 0)
        return true;
    if (!QDir().mkpath(directory)
        || (::link(QFile::encodeName(m_file.fileName()).constData(), QFile::encodeName(target).constData()) != 0
            && errno != EEXIST)) {
        *error
            = QStringLiteral("cannot move the upload to %1: %2").arg(target, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    if (!syncDirectory(directory) || !syncDirectory(m_store->directory())) {
        *error = QStringLiteral("cannot sync %1").arg(directory);
        return false;
    }
    return true;
}

bool FileUpload::ensureInPlace(QString *error)
{
    // A gc pass that read the store before this upload's record may have set the content
    // aside (FilesCollector): this upload's own bytes take its place.
    const QString target = m_store->pathOf(m_sha256);
    if (QFileInfo::exists(target))
        return true;
    if (::rename(QFile::encodeName(m_file.fileName()).constData(), QFile::encodeName(target).constData()) != 0
        || !syncDirectory(QFileInfo(target).path())) {
        *error = QStringLiteral("cannot put %1 back: %2").arg(target, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_committed = true;
    return true;
}

} // namespace Confab::Files

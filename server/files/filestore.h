// The bytes of uploaded files, content-addressed: <dir>/<first two hex digits>/<sha256>.
// An upload is written under <dir>/tmp/ with a random name, synced, and renamed into
// place only once complete, so a file is never served half-written and a cut upload
// leaves nothing behind; the same content uploaded twice is kept once. The records
// (name, type, uploader) are the chat store's.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <memory>
#include <optional>

struct evp_md_ctx_st;
using EVP_MD_CTX = evp_md_ctx_st;

namespace Confab::Files {

class FileUpload;

class FileStore
{
public:
    explicit FileStore(const QString &directory);

    // Creates the directories and removes the temporaries a crash left; false with an error.
    bool open(QString *error);
    QString directory() const { return m_directory; }
    QString pathOf(const QByteArray &sha256) const;
    // A new temporary file to write an upload into; nothing (error set) when it cannot be made.
    std::unique_ptr<FileUpload> beginUpload(QString *error) const;
    // Deleting a content no record refers to, in two steps around a second look at the
    // store (an upload of the same bytes may record it meanwhile). Both blocking (off the
    // event loop). setAside moves it out of its place, unless written or touched in the
    // last minimumAgeMs: its size, or nothing when kept. finishRemoval deletes it, or with
    // keep puts it back: the bytes freed.
    std::optional<qint64> setAside(const QByteArray &sha256, qint64 minimumAgeMs) const;
    qint64 finishRemoval(const QByteArray &sha256, bool keep) const;

    // A temporary older than this is left from a stopped node (--upload-timeout-s is at most 50 min).
    static constexpr qint64 StaleAfterMs = 60 * 60 * 1000;

private:
    QString asidePathOf(const QByteArray &sha256) const;

    QString m_directory;
};

class FileUpload
{
public:
    FileUpload(const FileStore *store, const QString &temporaryPath);
    ~FileUpload(); // removes the temporary (the content has its own name by then)
    FileUpload(const FileUpload &) = delete;
    FileUpload &operator=(const FileUpload &) = delete;

    bool open(QString *error);
    // Appends and hashes; false when the disk refused (full, I/O error).
    bool write(QByteArrayView piece);
    qint64 size() const { return m_size; }
    // Lowercase hex, once commit() succeeded.
    QByteArray sha256() const { return m_sha256; }
    // Blocking (run it off the event loop): syncs the bytes, links them into place (or
    // leaves the content already stored there) and syncs the directory.
    bool commit(QString *error);
    // Once the record is written: the content is in place, from this upload's bytes if a
    // gc pass took it away meanwhile. The temporary goes with this object.
    bool ensureInPlace(QString *error);

private:
    const FileStore *m_store;
    QFile m_file;
    // OpenSSL's SHA-256, not QCryptographicHash: it uses the CPU's SHA instructions, and
    // hashing was 80 % of an upload's CPU with Qt's portable code (docs/BENCHMARKS.md).
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> m_hash;
    QByteArray m_sha256;
    qint64 m_size = 0;
    bool m_committed = false;
};

} // namespace Confab::Files

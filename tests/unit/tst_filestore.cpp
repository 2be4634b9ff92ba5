// The files directory on a real filesystem: an upload's content in place, the same bytes
// stored once, and the two-step removal a gc pass makes racing an upload of the same
// bytes (the upload's record wins: its content stays), and a crash in between.
#include "files/filestore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <utime.h>

using Confab::Files::FileStore;
using Confab::Files::FileUpload;

class tst_FileStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void uploadsAreStoredOnceByContent();
    void anUploadRacingAGcPassKeepsItsContent();
    void aRecordedContentGoesBack();
    void aContentSetAsideByACrashedPassIsRestored();

private:
    // Uploads `bytes` up to its commit; the caller finishes it.
    std::unique_ptr<FileUpload> commit(const QByteArray &bytes);
    QByteArray contentOf(const QByteArray &sha) const;
    static void age(const QString &path, qint64 seconds);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FileStore> m_store;
};

void tst_FileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<FileStore>(m_dir->path());
    QString error;
    QVERIFY2(m_store->open(&error), qPrintable(error));
}

std::unique_ptr<FileUpload> tst_FileStore::commit(const QByteArray &bytes)
{
    QString error;
    auto upload = m_store->beginUpload(&error);
    if (!upload || !upload->write(bytes) || !upload->commit(&error))
        qWarning("upload failed: %s", qPrintable(error));
    return upload;
}

QByteArray tst_FileStore::contentOf(const QByteArray &sha) const
{
    QFile file(m_store->pathOf(sha));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void tst_FileStore::age(const QString &path, qint64 seconds)
{
    const qint64 then = QDateTime::currentSecsSinceEpoch() - seconds;
    const struct utimbuf times
    {
        time_t(then), time_t(then)
    };
    QCOMPARE(::utime(QFile::encodeName(path).constData(), &times), 0);
}

void tst_FileStore::uploadsAreStoredOnceByContent()
{
    const QByteArray bytes("the same bytes twice");
    auto first = commit(bytes);
    QString error;
    QVERIFY(first->ensureInPlace(&error));
    QCOMPARE(first->sha256(), QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    first.reset(); // the temporary goes, the content stays
    QCOMPARE(contentOf(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()), bytes);
    auto second = commit(bytes);
    QVERIFY(second->ensureInPlace(&error));
    second.reset();
    QCOMPARE(QDir(m_dir->path() + QStringLiteral("/tmp")).entryList(QDir::Files).size(), 0);
    QCOMPARE(contentOf(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()), bytes);
}

// A gc pass with no grace found the content unrecorded and set it aside just as an upload
// of the same bytes on another node found it stored: the upload's own bytes take its
// place once its record is written, and the pass's deletion leaves them alone.
void tst_FileStore::anUploadRacingAGcPassKeepsItsContent()
{
    const QByteArray bytes("collected while uploaded again");
    QString error;
    auto old = commit(bytes);
    QVERIFY(old->ensureInPlace(&error));
    const QByteArray sha = old->sha256();
    old.reset();
    age(m_store->pathOf(sha), 3600);

    auto again = commit(bytes);                  // finds it stored
    QVERIFY(!m_store->setAside(sha, 60 * 1000)); // just touched: a pass with grace keeps it
    QVERIFY(m_store->setAside(sha, 0));          // one without grace moves it aside
    QVERIFY(!QFile::exists(m_store->pathOf(sha)));
    QVERIFY(again->ensureInPlace(&error)); // its record is written: its bytes go in place
    again.reset();
    QCOMPARE(m_store->finishRemoval(sha, false), bytes.size()); // the pass deletes what it set aside
    QCOMPARE(contentOf(sha), bytes);
}

// The second look at the store finds a record: the content goes back where it was.
void tst_FileStore::aRecordedContentGoesBack()
{
    const QByteArray bytes("recorded meanwhile");
    QString error;
    auto upload = commit(bytes);
    QVERIFY(upload->ensureInPlace(&error));
    const QByteArray sha = upload->sha256();
    upload.reset();
    age(m_store->pathOf(sha), 3600);
    QCOMPARE(m_store->setAside(sha, 60 * 1000), std::optional<qint64>(bytes.size()));
    QCOMPARE(m_store->finishRemoval(sha, true), 0);
    QCOMPARE(contentOf(sha), bytes);
}

// A node stopped between the two steps: the next start puts the content back.
void tst_FileStore::aContentSetAsideByACrashedPassIsRestored()
{
    const QByteArray bytes("set aside, then the node died");
    QString error;
    auto upload = commit(bytes);
    QVERIFY(upload->ensureInPlace(&error));
    const QByteArray sha = upload->sha256();
    upload.reset();
    age(m_store->pathOf(sha), 3 * 3600);
    QVERIFY(m_store->setAside(sha, 0));
    QVERIFY(contentOf(sha).isEmpty());
    FileStore restarted(m_dir->path());
    QVERIFY(restarted.open(&error));
    QCOMPARE(contentOf(sha), bytes);
}

QTEST_GUILESS_MAIN(tst_FileStore)
#include "tst_filestore.moc"

#include "credentialstore.h"

#include <qt6keychain/keychain.h>

namespace Confab::Client {

namespace {

const QString Service = QStringLiteral("org.confab.Confab");

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{
}

QString CredentialStore::keyFor(const QUrl &server, const QString &user)
{
    return user + QLatin1Char('@') + server.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::StripTrailingSlash);
}

void CredentialStore::saveToken(const QUrl &server, const QString &user, const QString &token)
{
    auto *job = new QKeychain::WritePasswordJob(Service, this);
    job->setKey(keyFor(server, user));
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        Q_EMIT tokenSaved(done->error() == QKeychain::NoError, done->errorString());
    });
    job->start();
}

void CredentialStore::loadToken(const QUrl &server, const QString &user)
{
    auto *job = new QKeychain::ReadPasswordJob(Service, this);
    job->setKey(keyFor(server, user));
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(done);
        if (read->error() != QKeychain::NoError)
            return Q_EMIT tokenLoaded(QString(), read->errorString());
        Q_EMIT tokenLoaded(read->textData(), QString());
    });
    job->start();
}

void CredentialStore::removeToken(const QUrl &server, const QString &user)
{
    auto *job = new QKeychain::DeletePasswordJob(Service, this);
    job->setKey(keyFor(server, user));
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *done) {
        Q_EMIT tokenRemoved(done->error() == QKeychain::NoError, done->errorString());
    });
    job->start();
}

} // namespace Confab::Client

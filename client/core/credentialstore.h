// Keeps login tokens in the OS keychain (Secret Service on Linux) through QtKeychain.
// Every call is an asynchronous job that answers with a signal: never a nested event loop.
#pragma once

#include <QObject>
#include <QUrl>

namespace Confab::Client {

class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(QObject *parent = nullptr);

    void saveToken(const QUrl &server, const QString &user, const QString &token);
    void loadToken(const QUrl &server, const QString &user);
    void removeToken(const QUrl &server, const QString &user);

Q_SIGNALS:
    void tokenSaved(bool ok, const QString &error);
    // An empty token with an error when there is none or the keychain failed.
    void tokenLoaded(const QString &token, const QString &error);
    void tokenRemoved(bool ok, const QString &error);

private:
    static QString keyFor(const QUrl &server, const QString &user);
};

} // namespace Confab::Client

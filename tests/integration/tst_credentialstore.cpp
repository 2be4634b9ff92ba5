// The login token in a real keychain: gnome-keyring on a private D-Bus session
// (tests/support/with-keyring.sh starts both).
#include "credentialstore.h"

#include <QSignalSpy>
#include <QTest>

using Confab::Client::CredentialStore;

class tst_CredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storesReadsAndRemoves();
};

void tst_CredentialStore::storesReadsAndRemoves()
{
    const QUrl server(QStringLiteral("https://chat.example:7480"));
    CredentialStore store;
    QSignalSpy saved(&store, &CredentialStore::tokenSaved);
    QSignalSpy loaded(&store, &CredentialStore::tokenLoaded);
    QSignalSpy removed(&store, &CredentialStore::tokenRemoved);

    store.saveToken(server, QStringLiteral("alice"), QStringLiteral("token-for-alice"));
    QVERIFY(saved.wait(10000));
    QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));

    // A second store object (as on the app's next start) reads it back.
    CredentialStore later;
    QSignalSpy laterLoaded(&later, &CredentialStore::tokenLoaded);
    later.loadToken(server, QStringLiteral("alice"));
    QVERIFY(laterLoaded.wait(10000));
    QCOMPARE(laterLoaded.first().at(0).toString(), QStringLiteral("token-for-alice"));

    // Tokens are per user and per server.
    store.loadToken(QUrl(QStringLiteral("https://other.example")), QStringLiteral("alice"));
    QVERIFY(loaded.wait(10000));
    QVERIFY(loaded.last().at(0).toString().isEmpty());
    QVERIFY(!loaded.last().at(1).toString().isEmpty());

    store.removeToken(server, QStringLiteral("alice"));
    QVERIFY(removed.wait(10000));
    QVERIFY(removed.first().at(0).toBool());
    store.loadToken(server, QStringLiteral("alice"));
    QVERIFY(loaded.wait(10000));
    QVERIFY(loaded.last().at(0).toString().isEmpty());
}

QTEST_GUILESS_MAIN(tst_CredentialStore)
#include "tst_credentialstore.moc"

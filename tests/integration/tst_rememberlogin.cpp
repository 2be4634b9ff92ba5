// "Remember me" end to end: a login's token goes to a real keychain (gnome-keyring on a
// private D-Bus session), and the next start connects with it without a password.
#include "chatsession.h"
#include "confabdprocess.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Confab::Client;

class tst_RememberLogin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nextStartReusesTheToken();
};

void tst_RememberLogin::nextStartReusesTheToken()
{
    Confab::Testing::ConfabdProcess server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    QTemporaryDir dir;
    QString error;
    {
        ChatSession first;
        QVERIFY(first.openLocalStore(dir.filePath(QStringLiteral("first.db")), &error));
        first.setServerUrl(server.url());
        first.setRememberLogin(true);
        QSignalSpy remembered(&first, &ChatSession::loginRemembered);
        first.registerAccount(QStringLiteral("keeper"), QStringLiteral("keeper-password"));
        QVERIFY(remembered.wait(10000));
        QVERIFY2(remembered.first().at(0).toBool(), qPrintable(remembered.first().at(1).toString()));
    }
    ChatSession next; // the app's next start: no password given
    QVERIFY(next.openLocalStore(dir.filePath(QStringLiteral("next.db")), &error));
    next.setServerUrl(server.url());
    QSignalSpy restored(&next, &ChatSession::loginRestored);
    next.restoreLogin(QStringLiteral("keeper"));
    QVERIFY(restored.wait(10000));
    QCOMPARE(next.user(), QStringLiteral("keeper"));
    QSignalSpy synced(&next, &ChatSession::synced);
    next.connectToServer();
    QVERIFY(synced.wait(10000));
    QVERIFY(next.isOnline());

    // Forgotten: the next restore finds nothing.
    QSignalSpy forgotten(&next, &ChatSession::loginForgotten);
    next.forgetLogin();
    QVERIFY(forgotten.wait(10000));
    QVERIFY(forgotten.first().at(0).toBool());
    ChatSession later;
    later.setServerUrl(server.url());
    QSignalSpy notRestored(&later, &ChatSession::loginNotRestored);
    later.restoreLogin(QStringLiteral("keeper"));
    QVERIFY(notRestored.wait(10000));
    QVERIFY(later.user().isEmpty());
}

QTEST_GUILESS_MAIN(tst_RememberLogin)
#include "tst_rememberlogin.moc"

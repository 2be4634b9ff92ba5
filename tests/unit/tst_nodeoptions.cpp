// confabd's option table: docs/OPERATIONS.md lists exactly its rows (so the two cannot
// drift), every default passes its own check, and bad values are refused by name.
#include "app/nodeconfig.h"
#include "app/nodeoptions.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Confab::App;

class TestNodeOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The outcome must not depend on who runs the test.
        for (const NodeOption &option : nodeOptions())
            qunsetenv(option.environmentName().toLatin1().constData());
        qunsetenv("CONFAB_CONFIG");
    }

    void operationsDocListsTheTable()
    {
        QFile file(QStringLiteral(CONFAB_SOURCE_DIR "/docs/OPERATIONS.md"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList docLines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        const qsizetype start
            = docLines.indexOf(QStringLiteral("| INI key | flag | environment | meaning (default) |"));
        QVERIFY2(start >= 0, "docs/OPERATIONS.md has no option table");
        QStringList documented;
        for (qsizetype i = start; i < docLines.size() && docLines.at(i).startsWith(QLatin1Char('|')); ++i)
            documented.append(docLines.at(i));
        const QStringList expected = nodeOptionsMarkdown().trimmed().split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < std::max(documented.size(), expected.size()); ++i) {
            QVERIFY2(documented.value(i) == expected.value(i),
                     qPrintable(QStringLiteral("docs/OPERATIONS.md, table row %1 differs from the option table "
                                               "(paste `confabd --help-markdown`):\n  doc:   %2\n  table: %3")
                                    .arg(i)
                                    .arg(documented.value(i), expected.value(i))));
        }
    }

    void rowsAreComplete()
    {
        QSet<QString> keys;
        for (const NodeOption &option : nodeOptions()) {
            const QString key = QString::fromLatin1(option.key);
            QVERIFY2(!keys.contains(key), qPrintable(key));
            keys.insert(key);
            QVERIFY2(option.apply && option.valueName && option.help, qPrintable(key));
            QVERIFY2(!(option.defaultValue && option.computedDefault), qPrintable(key));
            QVERIFY2(option.minimum <= option.maximum, qPrintable(key));
        }
    }

    void defaultsPassTheirChecks()
    {
        NodeConfig config;
        QString error;
        QCOMPARE(loadNodeConfig({ QStringLiteral("confabd") }, &config, &error), ConfigOutcome::Run);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(config.listenAddress, QStringLiteral("127.0.0.1"));
        QCOMPARE(config.listenPort, 7480);
        QVERIFY(config.allowRegister);
        QCOMPARE(config.tokenTtlSeconds, 30 * 24 * 3600);
        QCOMPARE(config.pingIntervalMs, 25000);
        QCOMPARE(config.maxPayload, 1000000);
        QCOMPARE(config.lagHighMs, 2000);
        QCOMPARE(config.drainSeconds, 10);
        QVERIFY(config.workers >= 1);
        QVERIFY(config.tokenSecretFile.startsWith(config.dataDir));
        QVERIFY(QRegularExpression(QStringLiteral("^[a-z0-9]{8}$")).match(config.nodeId).hasMatch());
    }

    void flagsOverrideDefaults()
    {
        NodeConfig config;
        QString error;
        const QStringList arguments { QStringLiteral("confabd"),
                                      QStringLiteral("--listen"),
                                      QStringLiteral("[::1]:9000"),
                                      QStringLiteral("--allow-register"),
                                      QStringLiteral("no"),
                                      QStringLiteral("--trusted-proxies"),
                                      QStringLiteral("10.0.0.0/8, 192.168.1.1"),
                                      QStringLiteral("--data-dir"),
                                      QStringLiteral("/srv/confab") };
        QCOMPARE(loadNodeConfig(arguments, &config, &error), ConfigOutcome::Run);
        QCOMPARE(config.listenAddress, QStringLiteral("::1"));
        QCOMPARE(config.listenPort, 9000);
        QVERIFY(!config.allowRegister);
        QCOMPARE(config.trustedProxies.size(), 2);
        QCOMPARE(config.tokenSecretFile, QStringLiteral("/srv/confab/token-secret"));
    }

    void badValuesAreRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        auto row = [](const char *name, QStringList arguments, const char *error) {
            QTest::newRow(name) << arguments << QString::fromUtf8(error);
        };
        row("listen", { QStringLiteral("--listen"), QStringLiteral("nonsense") },
            "--listen must be ADDR:PORT, e.g. 127.0.0.1:7480");
        row("switch", { QStringLiteral("--allow-register"), QStringLiteral("maybe") },
            "--allow-register must be on or off");
        row("below range", { QStringLiteral("--token-ttl"), QStringLiteral("5") },
            "--token-ttl must be a number from 60 to 31536000");
        row("not a number", { QStringLiteral("--workers"), QStringLiteral("lots") },
            "--workers must be a number from 1 to 256");
        row("proxy", { QStringLiteral("--trusted-proxies"), QStringLiteral("nowhere") },
            "--trusted-proxies: \"nowhere\" is not an address or subnet");
        row("log format", { QStringLiteral("--log-format"), QStringLiteral("xml") },
            "--log-format must be text, json or journal");
        row("node id", { QStringLiteral("--node-id"), QStringLiteral("Node_1") },
            "--node-id must match ^[a-z0-9][a-z0-9-]{0,31}$");
        row("tls pair", { QStringLiteral("--tls-cert"), QStringLiteral("x.pem") },
            "--tls-cert and --tls-key go together");
        row("marks",
            { QStringLiteral("--lag-high-ms"), QStringLiteral("500"), QStringLiteral("--lag-critical-ms"),
              QStringLiteral("100") },
            "a high mark must not be above its critical mark");
    }

    void badValuesAreRefused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        NodeConfig config;
        QString actual;
        QCOMPARE(loadNodeConfig(QStringList { QStringLiteral("confabd") } + arguments, &config, &actual),
                 ConfigOutcome::Error);
        QCOMPARE(actual, error);
    }
};

QTEST_GUILESS_MAIN(TestNodeOptions)
#include "tst_nodeoptions.moc"

#include "app/nodeconfig.h"

#include "app/nodeoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

#include <optional>

namespace Confab::App {

namespace {

// Where a setting's value comes from: a flag beats the environment, which beats the file.
class OptionSources
{
public:
    explicit OptionSources(const QCommandLineParser &parser)
        : m_parser(parser)
    {
    }

    // False (and *error set) when the file is missing, not INI, or has an unknown key.
    bool openFile(const QString &path, QString *error)
    {
        if (!QFile::exists(path)) {
            *error = QStringLiteral("config file %1 does not exist").arg(path);
            return false;
        }
        m_file.emplace(path, QSettings::IniFormat);
        if (m_file->status() != QSettings::NoError) {
            *error = QStringLiteral("config file %1 is not valid INI").arg(path);
            return false;
        }
        // A misspelt key would otherwise be ignored in silence.
        for (const QString &key : m_file->allKeys()) {
            if (!findNodeOption(key)) {
                *error = QStringLiteral("config file %1: unknown key \"%2\" (confabd --help lists the keys)")
                             .arg(path, key);
                return false;
            }
        }
        return true;
    }

    std::optional<QString> value(const NodeOption &option) const
    {
        const QString key = QString::fromLatin1(option.key);
        if (m_parser.isSet(key))
            return m_parser.value(key);
        const QByteArray variable = option.environmentName().toLatin1();
        if (qEnvironmentVariableIsSet(variable.constData()))
            return qEnvironmentVariable(variable.constData());
        if (m_file && m_file->contains(key))
            return m_file->value(key).toString();
        return std::nullopt;
    }

private:
    const QCommandLineParser &m_parser;
    std::optional<QSettings> m_file;
};

const QCommandLineOption ConfigOption(QStringLiteral("config"), QStringLiteral("INI file with any of these options."),
                                      QStringLiteral("file"));
const QCommandLineOption CheckOption(
    QStringLiteral("check-config"),
    QStringLiteral("Validate the configuration (flags, environment, file), say what is wrong, and exit."));
const QCommandLineOption MarkdownOption(QStringLiteral("help-markdown"),
                                        QStringLiteral("Print the options as the table of docs/OPERATIONS.md."));

void addOptions(QCommandLineParser *parser)
{
    parser->setApplicationDescription(QStringLiteral("Confab chat server"));
    parser->addHelpOption();
    parser->addVersionOption();
    parser->addOption(ConfigOption);
    parser->addOption(CheckOption);
    QCommandLineOption markdown = MarkdownOption;
    markdown.setFlags(QCommandLineOption::HiddenFromHelp); // for whoever edits the docs
    parser->addOption(markdown);
    for (const NodeOption &option : nodeOptions())
        parser->addOption(
            { QString::fromLatin1(option.key), option.helpText(), QString::fromLatin1(option.valueName) });
}

// Every option from its sources, or its default, in table order.
bool applyOptions(const OptionSources &sources, NodeConfig *config, QString *error)
{
    for (const NodeOption &option : nodeOptions()) {
        const QString text = sources.value(option).value_or(option.defaultText(*config));
        if (!text.isNull() && !option.apply(option, text, config, error))
            return false;
    }
    return true;
}

// What no single option can check alone.
bool checkCombinations(const NodeConfig &config, QString *error)
{
    if (config.tlsCert.isEmpty() != config.tlsKey.isEmpty()) {
        *error = QStringLiteral("--tls-cert and --tls-key go together");
        return false;
    }
    if ((config.memoryCriticalMb > 0 && config.memoryHighMb > config.memoryCriticalMb)
        || (config.lagCriticalMs > 0 && config.lagHighMs > config.lagCriticalMs)) {
        *error = QStringLiteral("a high mark must not be above its critical mark");
        return false;
    }
    return true;
}

// --check-config also reads the files a start would need and not create.
bool checkFilesReadable(const NodeConfig &config, QString *error)
{
    for (const QString &file : { config.tlsCert, config.tlsKey, config.previousTokenSecretFile }) {
        if (!file.isEmpty() && !QFileInfo(file).isReadable()) {
            *error = QStringLiteral("%1 is not readable").arg(file);
            return false;
        }
    }
    return true;
}

} // namespace

ConfigOutcome loadNodeConfig(const QStringList &arguments, NodeConfig *config, QString *error)
{
    QCommandLineParser parser;
    addOptions(&parser);
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return ConfigOutcome::Error;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        fputs(qPrintable(parser.helpText()), stdout);
        return ConfigOutcome::Exit;
    }
    if (parser.isSet(MarkdownOption)) {
        fputs(nodeOptionsMarkdown().toUtf8().constData(), stdout);
        return ConfigOutcome::Exit;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        fprintf(stdout, "confabd %s\n", qPrintable(QCoreApplication::applicationVersion()));
        return ConfigOutcome::Exit;
    }

    OptionSources sources(parser);
    QString configFile = parser.value(ConfigOption);
    if (configFile.isEmpty())
        configFile = qEnvironmentVariable("CONFAB_CONFIG");
    if (!configFile.isEmpty() && !sources.openFile(configFile, error))
        return ConfigOutcome::Error;
    if (!applyOptions(sources, config, error) || !checkCombinations(*config, error))
        return ConfigOutcome::Error;
    if (parser.isSet(CheckOption)) {
        if (!checkFilesReadable(*config, error))
            return ConfigOutcome::Error;
        fprintf(stdout, "confabd: configuration OK%s\n",
                configFile.isEmpty() ? "" : qPrintable(QStringLiteral(" (%1)").arg(configFile)));
        return ConfigOutcome::Exit;
    }
    return ConfigOutcome::Run;
}

} // namespace Confab::App

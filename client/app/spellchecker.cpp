#include "spellchecker.h"

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QStandardPaths>

#include <hunspell.hxx>

namespace Confab::Desktop {

namespace {

// Where dictionaries are looked for: the XDG data folders' hunspell/ (/usr/share/hunspell).
QStringList dictionaryFolders()
{
    return QStandardPaths::locateAll(QStandardPaths::GenericDataLocation, QStringLiteral("hunspell"),
                                     QStandardPaths::LocateDirectory);
}

QString dictionaryBase(const QString &language)
{
    for (const QString &folder : dictionaryFolders()) {
        const QString base = QDir(folder).filePath(language);
        if (QFile::exists(base + QStringLiteral(".dic")) && QFile::exists(base + QStringLiteral(".aff")))
            return base;
    }
    return {};
}

} // namespace

SpellChecker::SpellChecker(const QString &personalWordsPath, QObject *parent)
    : QObject(parent)
    , m_personalWordsPath(personalWordsPath)
{
    loadPersonalWords();
}

SpellChecker::~SpellChecker() = default;

QStringList SpellChecker::availableLanguages()
{
    QStringList languages;
    for (const QString &folder : dictionaryFolders()) {
        for (const QFileInfo &dictionary : QDir(folder).entryInfoList({ QStringLiteral("*.dic") }, QDir::Files)) {
            const QString language = dictionary.completeBaseName();
            // Hyphenation patterns (hyph_*) share the folder on some systems.
            if (!language.startsWith(QStringLiteral("hyph_")) && !languages.contains(language)
                && QFile::exists(dictionary.absolutePath() + QLatin1Char('/') + language + QStringLiteral(".aff")))
                languages.append(language);
        }
    }
    languages.sort();
    return languages;
}

QString SpellChecker::defaultLanguage()
{
    const QStringList languages = availableLanguages();
    const QString system = QLocale::system().name(); // "de_DE"
    for (const QString &candidate : { system, system.section(QLatin1Char('_'), 0, 0), QStringLiteral("en_US") }) {
        if (languages.contains(candidate))
            return candidate;
    }
    return languages.value(0);
}

QString SpellChecker::languageName(const QString &language)
{
    const QLocale locale(language);
    if (locale.language() == QLocale::C)
        return language;
    const QString territory = locale.territory() == QLocale::AnyTerritory
        ? QString()
        : QStringLiteral(" (%1)").arg(QLocale::territoryToString(locale.territory()));
    return QLocale::languageToString(locale.language()) + territory;
}

bool SpellChecker::setLanguage(const QString &language)
{
    if (language == m_language && m_hunspell)
        return true;
    m_hunspell.reset();
    m_language.clear();
    m_known.clear();
    const QString base = dictionaryBase(language);
    if (!base.isEmpty()) {
        m_hunspell = std::make_unique<Hunspell>(QFile::encodeName(base + QStringLiteral(".aff")).constData(),
                                                QFile::encodeName(base + QStringLiteral(".dic")).constData());
        // Dictionaries say their encoding (SET UTF-8, SET ISO8859-1, …).
        const QByteArray encoding = QByteArray::fromStdString(m_hunspell->get_dict_encoding());
        m_encoder = QStringEncoder(encoding.constData());
        m_decoder = QStringDecoder(encoding.constData());
        if (!m_encoder.isValid() || !m_decoder.isValid()) {
            m_encoder = QStringEncoder(QStringEncoder::Utf8);
            m_decoder = QStringDecoder(QStringDecoder::Utf8);
        }
        m_language = language;
        // The user's words as the dictionary's own: "Frobnitz" then passes as "frobnitz's" too
        // wherever the language allows, and they come up as suggestions.
        for (const QString &word : std::as_const(m_personalWords))
            m_hunspell->add(encode(word));
    }
    Q_EMIT changed();
    return isReady();
}

std::string SpellChecker::encode(const QString &word) const
{
    // Typographic apostrophes are the dictionary's straight ones, wherever a word goes in.
    QString plain = word;
    plain.replace(QChar(0x2019), QLatin1Char('\''));
    return QByteArray(m_encoder.encode(plain)).toStdString();
}

QString SpellChecker::decode(const std::string &word) const
{
    return m_decoder.decode(QByteArrayView(word.data(), qsizetype(word.size())));
}

bool SpellChecker::isCorrect(const QString &word) const
{
    if (!m_hunspell || word.isEmpty() || m_personalWords.contains(word))
        return true;
    const auto cached = m_known.constFind(word);
    if (cached != m_known.cend())
        return *cached;
    bool correct = m_hunspell->spell(encode(word));
    // Chat types acronyms in lower case ("ok", "asap"): the dictionary has them in capitals.
    if (!correct && word.size() <= 5 && word == word.toLower())
        correct = m_hunspell->spell(encode(word.toUpper()));
    m_known.insert(word, correct);
    return correct;
}

QStringList SpellChecker::suggestions(const QString &word, int max) const
{
    QStringList found;
    if (!m_hunspell)
        return found;
    for (const std::string &suggestion : m_hunspell->suggest(encode(word))) {
        if (found.size() == max)
            break;
        found.append(decode(suggestion));
    }
    return found;
}

void SpellChecker::addWord(const QString &word)
{
    if (word.isEmpty() || m_personalWords.contains(word))
        return;
    m_personalWords.insert(word);
    m_known.clear(); // other forms of the word may pass now
    if (m_hunspell)
        m_hunspell->add(encode(word));
    if (!m_personalWordsPath.isEmpty()) {
        QDir().mkpath(QFileInfo(m_personalWordsPath).absolutePath());
        QFile file(m_personalWordsPath);
        if (file.open(QIODevice::Append | QIODevice::Text))
            file.write(word.toUtf8() + '\n');
        else
            qWarning("confab: cannot save the word to %s: %s", qPrintable(m_personalWordsPath),
                     qPrintable(file.errorString()));
    }
    Q_EMIT changed();
}

void SpellChecker::loadPersonalWords()
{
    QFile file(m_personalWordsPath);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return;
    while (!file.atEnd()) {
        const QString word = QString::fromUtf8(file.readLine()).trimmed();
        if (!word.isEmpty())
            m_personalWords.insert(word);
    }
}

} // namespace Confab::Desktop

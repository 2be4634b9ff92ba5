// Spelling by Hunspell with the system's dictionaries (Debian's hunspell-<language>
// packages put them in /usr/share/hunspell) and the user's own words, kept one per line
// in a file beside the settings. Answers are cached per word until the language or the
// user's words change.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringDecoder>
#include <QStringEncoder>
#include <QStringList>

#include <memory>

class Hunspell;

namespace Confab::Desktop {

class SpellChecker : public QObject
{
    Q_OBJECT
public:
    explicit SpellChecker(const QString &personalWordsPath, QObject *parent = nullptr);
    ~SpellChecker() override;

    // The installed dictionaries ("en_US", "de_DE", …), sorted.
    static QStringList availableLanguages();
    // The system locale's dictionary when installed, else English, else the first; empty
    // when there is none at all.
    static QString defaultLanguage();
    // "English (United States)" for "en_US".
    static QString languageName(const QString &language);

    // Loads the language's dictionary; false (and no checking) when it is not installed.
    bool setLanguage(const QString &language);
    QString language() const { return m_language; }
    bool isReady() const { return m_hunspell != nullptr; }

    // A word the dictionary or the user knows; true while no dictionary is loaded.
    bool isCorrect(const QString &word) const;
    QStringList suggestions(const QString &word, int max = 5) const;
    // Known from now on, in every language, and saved for the next start.
    void addWord(const QString &word);
    QString personalWordsPath() const { return m_personalWordsPath; }

Q_SIGNALS:
    // What is misspelled may have changed: highlighting is to be redone.
    void changed();

private:
    std::string encode(const QString &word) const;
    QString decode(const std::string &word) const;
    void loadPersonalWords();

    QString m_personalWordsPath;
    QString m_language;
    std::unique_ptr<Hunspell> m_hunspell;
    QSet<QString> m_personalWords;
    mutable QStringEncoder m_encoder;
    mutable QStringDecoder m_decoder;
    mutable QHash<QString, bool> m_known;
};

} // namespace Confab::Desktop

#include "translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace Confab::Desktop {

void installTranslations()
{
    static QTranslator *translator = nullptr;
    if (translator)
        return;
    translator = new QTranslator(QCoreApplication::instance());
    // The user's language when we ship it, English (plural forms) otherwise.
    if (translator->load(QLocale(), QStringLiteral("confab"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || translator->load(QStringLiteral(":/i18n/confab_en.qm")))
        QCoreApplication::installTranslator(translator);
}

} // namespace Confab::Desktop

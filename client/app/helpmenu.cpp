#include "helpmenu.h"

#include "theme.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Confab::Desktop {

namespace {

struct HelpMenu
{
    Q_DECLARE_TR_FUNCTIONS(Confab::Desktop::HelpMenu)
};

const QString ProjectUrl = QStringLiteral("https://confab.invalid/");

void showShortcuts(QMainWindow *window)
{
    auto *dialog = new QDialog(window);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(HelpMenu::tr("Keyboard Shortcuts — Confab"));
    auto *list = new QTreeWidget(dialog);
    list->setObjectName(QStringLiteral("shortcutList"));
    list->setRootIsDecorated(false);
    list->setHeaderLabels({ HelpMenu::tr("Action"), HelpMenu::tr("Keys") });
    auto addRow = [list](const QString &action, const QString &keys) { new QTreeWidgetItem(list, { action, keys }); };
    // The composer's keys are handled in its keyPressEvent, not by actions.
    addRow(HelpMenu::tr("Send the message"), HelpMenu::tr("Enter"));
    addRow(HelpMenu::tr("New line in the message"), HelpMenu::tr("Shift+Enter"));
    // Every action with a shortcut, so the list cannot fall behind the menus.
    for (const QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcut().isEmpty() || action->text().isEmpty())
            continue;
        QString text = action->text();
        text.remove(QLatin1Char('&'));
        if (text.endsWith(QChar(0x2026)))
            text.chop(1);
        addRow(text, action->shortcut().toString(QKeySequence::NativeText));
    }
    addRow(HelpMenu::tr("Direct message to a member"), HelpMenu::tr("Double-click the member"));
    list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(list);
    layout->addWidget(buttons);
    dialog->resize(460, 400);
    dialog->open();
}

void showAbout(QWidget *parent)
{
    auto *box = new QMessageBox(parent);
    box->setObjectName(QStringLiteral("aboutDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(HelpMenu::tr("About Confab"));
    box->setIconPixmap(appIcon().pixmap(64, 64));
    box->setTextFormat(Qt::RichText);
    box->setText(HelpMenu::tr("<h3>Confab %1</h3>"
                              "<p>The desktop client of Confab, a self-hosted chat suite.</p>"
                              "<p>Built with Qt %2, running on Qt %3.</p>"
                              "<p><a href=\"%4\">%4</a></p>")
                     .arg(QApplication::applicationVersion(), QStringLiteral(QT_VERSION_STR),
                          QString::fromLatin1(qVersion()), ProjectUrl));
    box->setStandardButtons(QMessageBox::Close);
    box->open();
}

} // namespace

void addHelpMenu(QMainWindow *window)
{
    QMenu *helpMenu = window->menuBar()->addMenu(HelpMenu::tr("&Help"));
    QAction *shortcuts
        = helpMenu->addAction(HelpMenu::tr("&Keyboard Shortcuts"), window, [window] { showShortcuts(window); });
    shortcuts->setObjectName(QStringLiteral("shortcutsAction"));
    shortcuts->setShortcut(QKeySequence(HelpMenu::tr("Ctrl+/")));
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(HelpMenu::tr("&About Confab"), window, [window] { showAbout(window); });
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    helpMenu->addAction(HelpMenu::tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

} // namespace Confab::Desktop

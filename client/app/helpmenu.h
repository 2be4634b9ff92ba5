// The Help menu: Keyboard Shortcuts (every action with a shortcut, read from the window's
// actions so the list cannot fall behind the menus) and About.
#pragma once

class QMainWindow;

namespace Confab::Desktop {

void addHelpMenu(QMainWindow *window);

} // namespace Confab::Desktop

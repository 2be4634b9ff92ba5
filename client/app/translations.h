// Loads the app's translations once per process: the English one carries the plural
// forms ("1 message" / "2 messages") that tr()'s %n needs even in English.
#pragma once

namespace Confab::Desktop {

void installTranslations();

} // namespace Confab::Desktop

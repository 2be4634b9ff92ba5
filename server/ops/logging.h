// How confabd writes its log (stderr): Qt logging categories (confab.node, confab.load,
// confab.store, confab.redis, …; QT_LOGGING_RULES turns them up or down) in one of
// three formats:
//   text     "2026-11-28T10:59:11.123Z info  confab.node: listening on …" (a terminal)
//   json     one JSON object per line: ts, level, category, msg (log shippers)
//   journal  "<6>confab.node: …": the priority prefix journald reads from a service's
//            stderr; the journal adds the time itself
// Default: journal when started by systemd (JOURNAL_STREAM is set), text otherwise.
#pragma once

#include <QLoggingCategory>
#include <QString>

#include <optional>

namespace Confab::Ops {

Q_DECLARE_LOGGING_CATEGORY(lcNode)
Q_DECLARE_LOGGING_CATEGORY(lcLoad)
Q_DECLARE_LOGGING_CATEGORY(lcStore)

enum class LogFormat { Text, Json, Journal };

std::optional<LogFormat> parseLogFormat(const QString &name);
LogFormat defaultLogFormat();
void installLogHandler(LogFormat format);

} // namespace Confab::Ops

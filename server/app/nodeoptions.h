// The one table of confabd's options. Each row is the INI key, from which the flag
// (--key) and the environment variable (CONFAB_KEY) follow; the default (a text parsed
// like any given value, or computed from what came before); the range of a number; the
// help text; and the function that checks the value and stores it in NodeConfig.
// Parsing, --help, --check-config and docs/OPERATIONS.md (--help-markdown) all read it.
#pragma once

#include "app/nodeconfig.h"

#include <span>

namespace Confab::App {

struct NodeOption;
using ApplyOption = bool (*)(const NodeOption &option, const QString &text, NodeConfig *config, QString *error);
using ComputeDefault = QString (*)(const NodeConfig &config);

struct NodeOption
{
    const char *key;
    const char *valueName;
    const char *help;                         // one sentence, without the default
    const char *defaultValue = nullptr;       // parsed like a given value; nullptr: none
    ComputeDefault computedDefault = nullptr; // when the default depends on the machine or other options
    const char *defaultNote = nullptr;        // what --help shows for the default, when not defaultValue
    qint64 minimum = 0;                       // numbers only
    qint64 maximum = 0;
    ApplyOption apply = nullptr;

    QString flagName() const;        // "--key"
    QString environmentName() const; // "CONFAB_KEY"
    QString helpText() const;        // help + " (default)."
    // The value used when neither flag, environment nor file sets it; null when none.
    QString defaultText(const NodeConfig &config) const;
};

std::span<const NodeOption> nodeOptions();
const NodeOption *findNodeOption(QStringView key);

// The table as the Markdown of docs/OPERATIONS.md (header included), one row a line.
QString nodeOptionsMarkdown();

} // namespace Confab::App

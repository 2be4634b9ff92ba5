// The files picked for the next message, above the composer: one chip each (a small
// picture for images, the name and size), with a button to take it off again. Sending
// takes them along; each room keeps its own until then.
#pragma once

#include "chat/limits.h"

#include <QStringList>
#include <QWidget>

class QHBoxLayout;

namespace Confab::Desktop {

class AttachmentTray : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxFiles = Chat::MaxAttachments;

    explicit AttachmentTray(QWidget *parent = nullptr);

    QStringList files() const { return m_files; }
    // Adds the files not there yet, up to MaxFiles; returns how many were left out.
    int addFiles(const QStringList &paths);
    void removeFile(const QString &path);
    void setFiles(const QStringList &paths);
    void clear() { setFiles({}); }

Q_SIGNALS:
    void filesChanged();

private:
    void rebuild();
    QWidget *chipFor(const QString &path);

    QStringList m_files;
    QHBoxLayout *m_layout;
};

} // namespace Confab::Desktop

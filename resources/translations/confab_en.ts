<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Confab::Desktop::ConnectionBanner</name>
    <message numerus="yes">
        <source>%n message(s) will be sent when the connection returns.</source>
        <translation>
            <numerusform>%n message will be sent when the connection returns.</numerusform>
            <numerusform>%n messages will be sent when the connection returns.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Confab::Desktop::TrayIcon</name>
    <message numerus="yes">
        <source>Confab — %n unread message(s)</source>
        <translation>
            <numerusform>Confab — %n unread message</numerusform>
            <numerusform>Confab — %n unread messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message numerus="yes">
        <source>Last seen %n min ago</source>
        <translation>
            <numerusform>Last seen %n min ago</numerusform>
            <numerusform>Last seen %n min ago</numerusform>
        </translation>
    </message>
</context>
</TS>

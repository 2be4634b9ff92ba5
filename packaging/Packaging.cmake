# Debian packages with CPack: `cpack -G DEB` in the build folder makes
#   confab-server  confabd, confabctl, confab-bench, the systemd unit, /etc/confab/confabd.ini,
#                  the HAProxy example; a `confab` system user on install
#   confab-client  confab, confab-cli, the .desktop file, the icon, AppStream metainfo
# Files go under /usr; the config under /etc.
set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "" FORCE)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/confabd.service
        DESTINATION lib/systemd/system COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/config/confabd.ini
        DESTINATION /etc/confab PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/haproxy/confab.cfg ${PROJECT_SOURCE_DIR}/packaging/grafana/confab-dashboard.json
        DESTINATION share/doc/confab-server/examples COMPONENT server)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME confab)
set(CPACK_PACKAGE_VENDOR "Confab")
set(CPACK_PACKAGE_CONTACT "Confab developers <security@confab.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Self-hosted chat suite on Qt")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server client)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # dependencies from the binaries' libraries
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME confab-server)
set(CPACK_DEBIAN_SERVER_DESCRIPTION "Confab chat server (confabd) and its admin tool
 confabd speaks Engine.IO v4 / Socket.IO v5: stock Socket.IO clients work against it.
 Alone it keeps everything in SQLite; with Redis, nodes form a cluster.")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${PROJECT_BINARY_DIR}/debian/server/postinst;${PROJECT_BINARY_DIR}/debian/server/prerm;${PROJECT_BINARY_DIR}/debian/server/conffiles")
set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "redis-server, redis-sentinel, haproxy")

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME confab-client)
set(CPACK_DEBIAN_CLIENT_DESCRIPTION "Confab desktop chat client and command-line client
 confab keeps working through network loss: an offline outbox, reconnection, presence,
 and the login token in the system keychain. confab-cli is for scripts and bots.")
# fonts-noto-color-emoji: fontconfig falls back to it, so emoji show in colour.
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, fonts-noto-color-emoji")
# A dictionary for spell checking (any hunspell-<language> will do; English by default).
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "hunspell-en-us | hunspell-dictionary")
set(CPACK_DEBIAN_CLIENT_PACKAGE_SECTION net)

# Maintainer scripts must be executable in the package: copy them with mode 0755.
foreach(script postinst prerm conffiles)
    file(COPY ${PROJECT_SOURCE_DIR}/packaging/debian/server-${script}
         DESTINATION ${PROJECT_BINARY_DIR}/debian/server
         FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    file(RENAME ${PROJECT_BINARY_DIR}/debian/server/server-${script} ${PROJECT_BINARY_DIR}/debian/server/${script})
endforeach()

include(CPack)

; Greenroom's Windows installer, built on Debian by makensis 3.08 (scripts/dist.sh).
; Tauri's own NSIS template needs a plugin DLL downloaded from GitHub and a header Debian's
; NSIS lacks, so this is our own: per-user (no administrator prompt), into
; %LOCALAPPDATA%\Programs\Greenroom, Start menu shortcut, an uninstaller listed in
; "Apps & features". The uninstaller removes the program only: takes, transcripts and
; models in %APPDATA%\dev.greenroom.app are the user's and stay.
;
; makensis -DVERSION=0.1.0 -DSTAGE=<folder with the files> -DOUTFILE=<setup.exe>
;          -DICON=<icon.ico> -DCOMPRESSOR=lzma|zlib installer.nsi

Unicode true
; A 64-bit installer for a 64-bit app (Debian's NSIS ships the amd64-unicode stubs).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID ${COMPRESSOR}
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define APP "Greenroom"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Greenroom"
; The Evergreen WebView2 runtime's client id (Microsoft's documented registry key).
!define WEBVIEW2_KEY "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Greenroom"
InstallDirRegKey HKCU "Software\Greenroom" "InstallDir"
BrandingText "${APP} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "The Greenroom developers, MIT licence"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\greenroom-desktop.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${STAGE}\LICENSE.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; The first language is the fallback; Windows's display language picks Korean.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Korean"

LangString NoWebView2 ${LANG_ENGLISH} "Greenroom needs the Microsoft Edge WebView2 Runtime, which Windows 10 and 11 normally include. It was not found: install it from https://developer.microsoft.com/microsoft-edge/webview2/ and start Greenroom again."
LangString NoWebView2 ${LANG_KOREAN} "Greenroom을 실행하려면 Microsoft Edge WebView2 런타임이 필요해요. Windows 10과 11에는 보통 들어 있지만 이 컴퓨터에서 찾지 못했어요. https://developer.microsoft.com/microsoft-edge/webview2/ 에서 설치한 뒤 Greenroom을 다시 시작하세요."

Section "Greenroom" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${STAGE}\greenroom-desktop.exe"
  File "${STAGE}\greenroom.exe"
  File "${STAGE}\WebView2Loader.dll"
  File "${STAGE}\LICENSE.txt"
  File "${STAGE}\THIRD-PARTY-LICENSES.txt"
  File "${STAGE}\README.txt"
  WriteUninstaller "$INSTDIR\Uninstall Greenroom.exe"

  CreateShortcut "$SMPROGRAMS\Greenroom.lnk" "$INSTDIR\greenroom-desktop.exe"

  WriteRegStr HKCU "Software\Greenroom" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The Greenroom developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\greenroom-desktop.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall Greenroom.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall Greenroom.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ; WebView2 is per machine (HKLM, 32-bit view) or per user (HKCU); its "pv" is its version.
  SetRegView 32
  ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
  SetRegView lastused
  ${If} $0 == ""
    ReadRegStr $0 HKCU "${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "WebView2 Runtime not found"
    MessageBox MB_OK|MB_ICONINFORMATION "$(NoWebView2)" /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\greenroom-desktop.exe"
  Delete "$INSTDIR\greenroom.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\THIRD-PARTY-LICENSES.txt"
  Delete "$INSTDIR\README.txt"
  Delete "$INSTDIR\Uninstall Greenroom.exe"
  ; Only if empty: a folder the user put files into is left.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Greenroom.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Greenroom"
SectionEnd

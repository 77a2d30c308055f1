; Inno Setup 6 script: the Windows installer for LDN Desktop.
;
; Build the one-folder app first (on Windows, in the project folder):
;   .venv\Scripts\pyinstaller build.spec --noconfirm
;   dist\ldn-desktop\ldn-desktop.exe --selftest > selftest.txt & type selftest.txt
; then the installer (version read from the .exe's version resource, from build.spec):
;   iscc packaging\windows\ldn-desktop.iss
; signed (docs/release-checklist.md):
;   iscc /DSign "/Ssigntool=signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f" packaging\windows\ldn-desktop.iss
; Output: dist\LDN-Desktop-<version>-setup.exe

#define AppName "LDN Desktop"
#define AppExeName "ldn-desktop.exe"
#define SourceDir "..\..\dist\ldn-desktop"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(SourceDir + "\" + AppExeName, "ProductVersion")
#endif
#if AppVersion == ""
  #error "dist\ldn-desktop\ldn-desktop.exe is missing or has no version: build it first"
#endif

[Setup]
; The AppId identifies the app for upgrades and uninstall: never change it.
AppId={{9FAC7A83-820B-4F8B-8A3B-3721C3C4A989}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=LDN Desktop
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine by default (IT installs it once for every pharmacist); a user without admin
; rights may choose to install it for themselves only.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 supports Windows 10 (1809) and later.
MinVersion=10.0.17763
OutputDir=..\..\dist
OutputBaseFilename=LDN-Desktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\ldn-desktop.ico
UninstallDisplayIcon={app}\{#AppExeName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files (the database is closed cleanly).
CloseApplications=yes
RestartApplications=no
#ifdef Sign
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle, so no library of the previous version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The pharmacy's database, backups and log live in %LOCALAPPDATA%\LDN Desktop\LDN Desktop
; (or the folder named by LDN_DESKTOP_DATA_DIR): uninstalling never deletes them.

[Code]
// Check the installation headless (ldn-desktop --selftest, exit code 0 = all good) before
// offering to start it; a failure is shown, not silently ignored.
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
  begin
    WizardForm.StatusLabel.Caption := 'Checking the installation...';
    if not Exec(ExpandConstant('{app}\{#AppExeName}'), '--selftest', ExpandConstant('{app}'),
                SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      SuppressibleMsgBox('The installation self-test failed (code ' + IntToStr(ResultCode) +
        '). Run "' + ExpandConstant('{app}\{#AppExeName}') + ' --selftest > selftest.txt" in a ' +
        'command prompt: selftest.txt names the check that failed. Then contact support.', mbError, MB_OK, IDOK);
  end;
end;

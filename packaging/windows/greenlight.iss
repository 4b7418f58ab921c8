; Inno Setup script for Greenlight on Windows (Inno Setup 6.2 or newer).
;
; It packages the one-folder build that `build.spec` makes on Windows (dist\greenlight\), so build
; that first, on Windows, from a clone of the repository:
;
;   py -3.11 -m venv .venv
;   .venv\Scripts\pip install -e ".[build]"
;   rem optional: bake the team's setup in (see the README, "Installing Greenlight for a team")
;   .venv\Scripts\greenlight team package --guidelines team-guidelines --policy policy.yml ^
;       --root-key ed25519:... --shared-folder-hint "%%USERPROFILE%%\OneDrive - Acme\Greenlight"
;   .venv\Scripts\pyinstaller --noconfirm build.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\greenlight.iss
;
; The installer lands in dist\installer\. It installs per user by default (no administrator needed;
; the dialog offers "for all users"), adds Start menu and optional desktop shortcuts to the windowed
; launcher (greenlight-gui.exe), and can put the console `greenlight` command on PATH.
; This script cannot be compiled on the Linux build machine; it is kept here and reviewed by hand.

#define AppName "Greenlight"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define SourceDir "..\..\dist\greenlight"

[Setup]
AppId={{6C1D2A4E-3B57-4F1D-9E0A-6B2C8D1F4A77}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Greenlight
AppVerName={#AppName} {#AppVersion}
DefaultDirName={autopf}\Greenlight
DefaultGroupName=Greenlight
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=greenlight-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\greenlight.ico
UninstallDisplayIcon={app}\greenlight-gui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the greenlight command to PATH (for scripts and the terminal)"; Flags: unchecked

[Files]
; The whole one-folder build: greenlight.exe (console), greenlight-gui.exe (windowed), _internal\.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Greenlight"; Filename: "{app}\greenlight-gui.exe"; Parameters: "gui"
Name: "{autodesktop}\Greenlight"; Filename: "{app}\greenlight-gui.exe"; Parameters: "gui"; Tasks: desktopicon

[Registry]
; Per-user PATH entry; removed again on uninstall.
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
  ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\greenlight-gui.exe"; Parameters: "gui"; Description: "Start Greenlight"; \
  Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer wrote. The user's profile (%LOCALAPPDATA%\greenlight) and the keys in
; Windows Credential Manager are theirs and stay.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Current, Dir: string;
  P: Integer;
begin
  if CurUninstallStep <> usPostUninstall then exit;
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Current) then exit;
  Dir := ';' + ExpandConstant('{app}');
  P := Pos(Uppercase(Dir), Uppercase(Current));
  if P > 0 then
  begin
    Delete(Current, P, Length(Dir));
    RegWriteExpandStringValue(HKCU, 'Environment', 'Path', Current);
  end;
end;

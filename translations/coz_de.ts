<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_US">
<context>
    <name>coz::studio::CozEngine</name>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="128"/>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="128"/>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="129"/>
        <source>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU threads.&lt;/p&gt;&lt;p&gt;Backbones:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Models folder: %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU-Threads.&lt;/p&gt;&lt;p&gt;Basismodelle:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Modellordner: %6&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="131"/>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="131"/>
        <source>CUDA devices: %1</source>
        <translation>CUDA-Geräte: %1</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="242"/>
        <source>unexpected error in the engine</source>
        <translation>unerwarteter Fehler in der Engine</translation>
    </message>
</context>
<context>
    <name>coz::ui::ImageViewer</name>
    <message>
        <location filename="../ui/image_viewer.cpp" line="100"/>
        <source>Drop an image here, open one (Ctrl+O) or paste (Ctrl+V)</source>
        <translation>Bild hier ablegen, öffnen (Ctrl+O) oder einfügen (Ctrl+V)</translation>
    </message>
</context>
<context>
    <name>coz::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="39"/>
        <source>CoZ Studio</source>
        <translation>CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="65"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="107"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="108"/>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="109"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="111"/>
        <source>&amp;Paste Image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="113"/>
        <source>&amp;Export View…</source>
        <translation>Ansicht e&amp;xportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Export &amp;All Steps…</source>
        <translation>&amp;Alle Schritte exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="119"/>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="120"/>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>&amp;Actual Size (100%)</source>
        <translation>&amp;Originalgröße (100%)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>&amp;Compare Input and Output</source>
        <translation>Eingabe und Ausgabe ver&amp;gleichen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="125"/>
        <source>F&amp;lip Compared Images</source>
        <translation>Verglichene Bilder ver&amp;tauschen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="125"/>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="127"/>
        <source>&amp;Job</source>
        <translation>&amp;Verarbeitung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="128"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="128"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="129"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="129"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="131"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="133"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="143"/>
        <source>The language changes when CoZ Studio starts again.</source>
        <translation>Die Sprache wird beim nächsten Start von CoZ Studio umgestellt.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="147"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="148"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="149"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="150"/>
        <source>Ctrl+O	Open an image
Ctrl+V	Paste an image
Ctrl+S	Export the view
Ctrl+Shift+S	Export all steps
Ctrl+R	Run
Esc	Cancel the job

Click	Set the zoom point
Shift+drag	Zoom into a box
Wheel, + / -	Zoom the view
Drag, arrows	Pan
Ctrl+0, F	Fit to window
Ctrl+1, 1	Actual size
C	Compare a step&apos;s input and output
Ctrl+click a step	Compare two steps
X	Flip the compared images</source>
        <translation>Ctrl+O	Bild öffnen
Ctrl+V	Bild einfügen
Ctrl+S	Ansicht exportieren
Ctrl+Shift+S	Alle Schritte exportieren
Ctrl+R	Starten
Esc	Verarbeitung abbrechen

Klick	Zoompunkt festlegen
Shift+Ziehen	In einen Rahmen zoomen
Mausrad, + / -	Ansicht zoomen
Ziehen, Pfeiltasten	Ansicht verschieben
Ctrl+0, F	An Fenster anpassen
Ctrl+1, 1	Originalgröße
C	Ein- und Ausgabe eines Schritts vergleichen
Ctrl+Klick auf Schritt	Zwei Schritte vergleichen
X	Verglichene Bilder vertauschen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="155"/>
        <source>&amp;About CoZ Studio</source>
        <translation>Ü&amp;ber CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="156"/>
        <source>About CoZ Studio</source>
        <translation>Über CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="157"/>
        <source>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Chain-of-Zoom extreme super-resolution.&lt;/p&gt;%2</source>
        <translation>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Extreme Super-Resolution mit Chain-of-Zoom.&lt;/p&gt;%2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="180"/>
        <source>A job is running</source>
        <translation>Eine Verarbeitung läuft</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="180"/>
        <source>Cancel the running job before opening another image.</source>
        <translation>Brechen Sie die laufende Verarbeitung ab, bevor Sie ein anderes Bild öffnen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="185"/>
        <location filename="../ui/main_window.cpp" line="196"/>
        <source>Cannot open the image</source>
        <translation>Bild kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="196"/>
        <source>The image is empty.</source>
        <translation>Das Bild ist leer.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="212"/>
        <source>%1 — CoZ Studio</source>
        <translation>%1 — CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="213"/>
        <source>%1 × %2 px, %3-bit. Click the image to choose where to zoom.</source>
        <translation>%1 × %2 px, %3 Bit. Klicken Sie in das Bild, um den Zoompunkt zu wählen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="242"/>
        <source>Open an image to begin.</source>
        <translation>Öffnen Sie ein Bild, um zu beginnen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="257"/>
        <source>Steps: %1, total magnification %2×.
The last step shows %3 × %4 px of the image at %5 × %5 px.</source>
        <translation>Schritte: %1, Gesamtvergrößerung %2×.
Der letzte Schritt zeigt %3 × %4 px des Bildes mit %5 × %5 px.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="356"/>
        <source>Done. Steps: %1, time: %2 s. Click a step to view it; C compares input and output.</source>
        <translation>Fertig. Schritte: %1, Zeit: %2 s. Klicken Sie auf einen Schritt, um ihn anzuzeigen; C vergleicht Eingabe und Ausgabe.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="360"/>
        <source>Cancelled. Finished steps kept: %1.</source>
        <translation>Abgebrochen. Abgeschlossene Schritte bleiben erhalten: %1.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="477"/>
        <source>Exported %1 steps, the strip and steps.json to %2</source>
        <translation>%1 Schritte, der Streifen und steps.json wurden nach %2 exportiert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="271"/>
        <source>Output: %1 × %2 px (%3×).</source>
        <translation>Ausgabe: %1 × %2 px (%3×).</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="283"/>
        <source>Cannot run</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="297"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="304"/>
        <source>Cancelling… (finishing the current tile)</source>
        <translation>Wird abgebrochen… (aktuelle Kachel wird abgeschlossen)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="310"/>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="311"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="312"/>
        <source>Upscaling, pass %1 of %2</source>
        <translation>Hochskalieren, Durchgang %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="313"/>
        <source>Resizing to the exact size…</source>
        <translation>Auf exakte Größe skalieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="314"/>
        <source>Fixing colours…</source>
        <translation>Farben korrigieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="316"/>
        <source>, tile %1 of %2</source>
        <translation>, Kachel %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="327"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="353"/>
        <source>Upscaled to %1 × %2 px in %3 s. Export it with Ctrl+S.</source>
        <translation>In %3 s auf %1 × %2 px hochskaliert. Mit Ctrl+S exportieren.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="362"/>
        <source>The job failed</source>
        <translation>Verarbeitung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="372"/>
        <source>Step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="383"/>
        <source>Input (bicubic)</source>
        <translation>Eingabe (bikubisch)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="383"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="396"/>
        <source>Compare: drag the divider; X flips the sides.</source>
        <translation>Vergleich: Trennlinie ziehen; X vertauscht die Seiten.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="396"/>
        <source>Compare off.</source>
        <translation>Vergleich aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="402"/>
        <source>Nothing to paste</source>
        <translation>Nichts zum Einfügen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="402"/>
        <source>The clipboard holds no image. Copy an image first.</source>
        <translation>Die Zwischenablage enthält kein Bild. Kopieren Sie zuerst ein Bild.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="406"/>
        <source>Pasted image</source>
        <translation>Eingefügtes Bild</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="410"/>
        <source>Open Image</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="411"/>
        <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="418"/>
        <location filename="../ui/main_window.cpp" line="435"/>
        <location filename="../ui/main_window.cpp" line="489"/>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="418"/>
        <source>Run a job first.</source>
        <translation>Starten Sie zuerst eine Verarbeitung.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="426"/>
        <location filename="../ui/main_window.cpp" line="446"/>
        <location filename="../ui/main_window.cpp" line="465"/>
        <location filename="../ui/main_window.cpp" line="474"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="429"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="435"/>
        <location filename="../ui/main_window.cpp" line="489"/>
        <source>Run a zoom first.</source>
        <translation>Führen Sie zuerst einen Zoom aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="482"/>
        <source>Export View</source>
        <translation>Ansicht exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="483"/>
        <source>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</source>
        <translation>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>PNG, 8-bit</source>
        <translation>PNG, 8 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>PNG, 16-bit</source>
        <translation>PNG, 16 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>WebP</source>
        <translation>WebP</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>TIFF, 8-bit</source>
        <translation>TIFF, 8 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>TIFF, 16-bit</source>
        <translation>TIFF, 16 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="496"/>
        <source>Export All Steps</source>
        <translation>Alle Schritte exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="496"/>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="500"/>
        <source>Export All Steps To</source>
        <translation>Alle Schritte exportieren nach</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="520"/>
        <source>Dropped image</source>
        <translation>Abgelegtes Bild</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="523"/>
        <source>Cannot open the drop</source>
        <translation>Abgelegtes Element kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="523"/>
        <source>Drop an image file from your computer.</source>
        <translation>Legen Sie eine Bilddatei von Ihrem Computer ab.</translation>
    </message>
</context>
<context>
    <name>coz::ui::SettingsPanel</name>
    <message>
        <location filename="../ui/settings_panel.cpp" line="42"/>
        <source>&amp;Zoom into a point</source>
        <translation>In einen Punkt &amp;zoomen</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="43"/>
        <source>&amp;Upscale whole image</source>
        <translation>Ganzes Bild &amp;hochskalieren</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="60"/>
        <source>Zoom steps:</source>
        <translation>Zoomschritte:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="67"/>
        <source>Scale:</source>
        <translation>Skalierung:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="71"/>
        <source>%1 (not installed)</source>
        <translation>%1 (nicht installiert)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="72"/>
        <source>Not installed. %1</source>
        <translation>Nicht installiert. %1</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="74"/>
        <source>Backbone:</source>
        <translation>Basismodell:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="77"/>
        <location filename="../ui/settings_panel.cpp" line="98"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="77"/>
        <source>No prompt</source>
        <translation>Kein Prompt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="78"/>
        <source>Custom text</source>
        <translation>Eigener Text</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="78"/>
        <source>Your own text for every step</source>
        <translation>Eigener Text für jeden Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="79"/>
        <source>DAPE tags</source>
        <translation>DAPE-Tags</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="80"/>
        <source>Needs the RAM Swin-L + DAPE tagger, which this build does not include yet</source>
        <translation>Erfordert den RAM Swin-L + DAPE-Tagger, der in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="81"/>
        <source>VLM description</source>
        <translation>VLM-Beschreibung</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="82"/>
        <source>Needs the Qwen2.5-VL model, which this build does not include yet</source>
        <translation>Erfordert das Qwen2.5-VL-Modell, das in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="83"/>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="85"/>
        <source>e.g. sharp fur, detailed</source>
        <translation>z. B. sharp fur, detailed</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="87"/>
        <source>Prompt text:</source>
        <translation>Prompt-Text:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="90"/>
        <source>Recursive</source>
        <translation>Rekursiv</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="90"/>
        <source>Each step super-resolves the centre of the previous output</source>
        <translation>Jeder Schritt rekonstruiert die Bildmitte der vorherigen Ausgabe in höherer Auflösung</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="91"/>
        <source>Recursive, multi-scale prompt</source>
        <translation>Rekursiv, Multiskalen-Prompt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="91"/>
        <source>As recursive; VLM prompts also see the previous step</source>
        <translation>Wie „Rekursiv“; VLM-Prompts berücksichtigen zusätzlich den vorherigen Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="92"/>
        <source>One step</source>
        <translation>Ein Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="92"/>
        <source>Every step crops the first image and upscales it at once</source>
        <translation>Jeder Schritt beschneidet das Ausgangsbild und skaliert es in einem Durchgang hoch</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="93"/>
        <source>Bicubic (baseline)</source>
        <translation>Bikubisch (Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="93"/>
        <source>No model: Pillow bicubic</source>
        <translation>Kein Modell: bikubisch (Pillow)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="94"/>
        <source>Nearest (baseline)</source>
        <translation>Nächster Nachbar (Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="94"/>
        <source>No model: nearest neighbour</source>
        <translation>Kein Modell: nächster Nachbar</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="95"/>
        <source>Recursion:</source>
        <translation>Rekursion:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="99"/>
        <source>Wavelet</source>
        <translation>Wavelet</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="99"/>
        <source>Keep the input&apos;s low frequencies (colours), the output&apos;s detail</source>
        <translation>Behält die tiefen Frequenzen (Farben) der Eingabe und die Details der Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="100"/>
        <source>AdaIN</source>
        <translation>AdaIN</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="100"/>
        <source>Match each channel&apos;s mean and spread to the input</source>
        <translation>Gleicht Mittelwert und Streuung jedes Kanals an die Eingabe an</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="101"/>
        <source>Colour fix:</source>
        <translation>Farbkorrektur:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="104"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="105"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="108"/>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="114"/>
        <location filename="../ui/settings_panel.cpp" line="120"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="115"/>
        <source>Process size:</source>
        <translation>Verarbeitungsgröße:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="119"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="121"/>
        <source>Tile size:</source>
        <translation>Kachelgröße:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="123"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="123"/>
        <source>bf16 where the hardware computes it natively, else fp32</source>
        <translation>bf16, wenn die Hardware es nativ unterstützt, sonst fp32</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="127"/>
        <source>Precision:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="130"/>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="142"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="145"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="217"/>
        <source>total %1×</source>
        <translation>insgesamt %1×</translation>
    </message>
</context>
<context>
    <name>coz::ui::StepStrip</name>
    <message>
        <location filename="../ui/step_strip.cpp" line="48"/>
        <source>Step %1 of %2, magnification %3, %4 ms
Prompt: %5</source>
        <translation>Schritt %1 von %2, Vergrößerung %3, %4 ms
Prompt: %5</translation>
    </message>
    <message>
        <location filename="../ui/step_strip.cpp" line="50"/>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
</context>
</TS>

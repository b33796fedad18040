<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_US">
<context>
    <name>coz::studio::CozEngine</name>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="153"/>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="153"/>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="154"/>
        <source>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU threads.&lt;/p&gt;&lt;p&gt;Backbones:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Models folder: %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU-Threads.&lt;/p&gt;&lt;p&gt;Basismodelle:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Modellordner: %6&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="156"/>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="156"/>
        <source>CUDA devices: %1</source>
        <translation>CUDA-Geräte: %1</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="323"/>
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
    <name>coz::ui::BatchPanel</name>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%v of %m files</source>
        <translation>%v von %m Dateien</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Stop after the current file; Start goes on from there</source>
        <translation>Nach der aktuellen Datei anhalten; Starten macht dort weiter</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%1 — waiting</source>
        <translation>%1 — wartet</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%1 — running %2</source>
        <translation>%1 — läuft %2</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%1 — done</source>
        <translation>%1 — fertig</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%1 — failed: %2</source>
        <translation>%1 — fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%1 — cancelled</source>
        <translation>%1 — abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Drop several images or a folder on the window to queue them.</source>
        <translation>Mehrere Bilder oder einen Ordner auf das Fenster ziehen, um sie einzureihen.</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>%1 done, %2 failed, %3 left%4</source>
        <translation>%1 fertig, %2 fehlgeschlagen, %3 übrig%4</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source> — into %1</source>
        <translation> — nach %1</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>Output folder for the batch</source>
        <translation>Ausgabeordner für den Stapel</translation>
    </message>
    <message>
        <location filename="../ui/batch_panel.cpp"/>
        <source>(%1/%2)</source>
        <translation>(%1/%2)</translation>
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
        <location filename="../ui/main_window.cpp" line="69"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="140"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="141"/>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="142"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="144"/>
        <source>&amp;Paste Image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="146"/>
        <source>&amp;Export View…</source>
        <translation>Ansicht e&amp;xportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="147"/>
        <source>Export &amp;All Steps…</source>
        <translation>&amp;Alle Schritte exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="147"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="149"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="151"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="155"/>
        <source>&amp;Actual Size (100%)</source>
        <translation>&amp;Originalgröße (100%)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="155"/>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="157"/>
        <source>&amp;Compare Input and Output</source>
        <translation>Eingabe und Ausgabe ver&amp;gleichen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="157"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="158"/>
        <source>F&amp;lip Compared Images</source>
        <translation>Verglichene Bilder ver&amp;tauschen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="158"/>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="160"/>
        <source>&amp;Job</source>
        <translation>&amp;Verarbeitung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="162"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="162"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="164"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="165"/>
        <source>&amp;Models…</source>
        <translation>&amp;Modelle…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="165"/>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="166"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="167"/>
        <source>Download models, set the Hugging Face token and model files (Ctrl+M)</source>
        <translation>Modelle herunterladen, Hugging-Face-Token und Modelldateien festlegen (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="170"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="171"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="181"/>
        <source>The language changes when CoZ Studio starts again.</source>
        <translation>Die Sprache wird beim nächsten Start von CoZ Studio umgestellt.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="185"/>
        <source>Toolbar</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="194"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="195"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="196"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="202"/>
        <source>&amp;About CoZ Studio</source>
        <translation>Ü&amp;ber CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="203"/>
        <source>About CoZ Studio</source>
        <translation>Über CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="204"/>
        <source>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Chain-of-Zoom extreme super-resolution.&lt;/p&gt;%2</source>
        <translation>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Extreme Super-Resolution mit Chain-of-Zoom.&lt;/p&gt;%2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="227"/>
        <source>A job is running</source>
        <translation>Eine Verarbeitung läuft</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="227"/>
        <source>Cancel the running job before opening another image.</source>
        <translation>Brechen Sie die laufende Verarbeitung ab, bevor Sie ein anderes Bild öffnen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="232"/>
        <location filename="../ui/main_window.cpp" line="243"/>
        <source>Cannot open the image</source>
        <translation>Bild kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="243"/>
        <source>The image is empty.</source>
        <translation>Das Bild ist leer.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="259"/>
        <source>%1 — CoZ Studio</source>
        <translation>%1 — CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="260"/>
        <source>%1 × %2 px, %3-bit. Click the image to choose where to zoom.</source>
        <translation>%1 × %2 px, %3 Bit. Klicken Sie in das Bild, um den Zoompunkt zu wählen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="289"/>
        <source>Open an image to begin.</source>
        <translation>Öffnen Sie ein Bild, um zu beginnen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="304"/>
        <source>Steps: %1, total magnification %2×.
The last step shows %3 × %4 px of the image at %5 × %5 px.</source>
        <translation>Schritte: %1, Gesamtvergrößerung %2×.
Der letzte Schritt zeigt %3 × %4 px des Bildes mit %5 × %5 px.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="361"/>
        <source>The input cannot be used</source>
        <translation>Eingabe kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="362"/>
        <source>The model could not be loaded</source>
        <translation>Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="363"/>
        <source>Out of memory: try a smaller tile size, the CPU, or fewer steps</source>
        <translation>Nicht genügend Speicher: Versuchen Sie eine kleinere Kachelgröße, die CPU oder weniger Schritte</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="374"/>
        <source>Step %1 of %2: describing the picture…</source>
        <translation>Schritt %1 von %2: Bild wird beschrieben…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="379"/>
        <source>Encoding with the VAE…</source>
        <translation>Kodierung mit dem VAE…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="380"/>
        <source>Decoding with the VAE…</source>
        <translation>Dekodierung mit dem VAE…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="381"/>
        <source>Writing files…</source>
        <translation>Dateien werden geschrieben…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="424"/>
        <source>Done. Steps: %1, time: %2 s. Click a step to view it; C compares input and output.</source>
        <translation>Fertig. Schritte: %1, Zeit: %2 s. Klicken Sie auf einen Schritt, um ihn anzuzeigen; C vergleicht Eingabe und Ausgabe.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="428"/>
        <source>Cancelled. Finished steps kept: %1.</source>
        <translation>Abgebrochen. Abgeschlossene Schritte bleiben erhalten: %1.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="517"/>
        <source>Exported %1 steps, the strip and steps.json to %2</source>
        <translation>%1 Schritte, der Streifen und steps.json wurden nach %2 exportiert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="318"/>
        <source>Output: %1 × %2 px (%3×).</source>
        <translation>Ausgabe: %1 × %2 px (%3×).</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="334"/>
        <source>Cannot run</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="348"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="355"/>
        <source>Cancelling… (finishing the current tile)</source>
        <translation>Wird abgebrochen… (aktuelle Kachel wird abgeschlossen)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="373"/>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="375"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="376"/>
        <source>Upscaling, pass %1 of %2</source>
        <translation>Hochskalieren, Durchgang %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="377"/>
        <source>Resizing to the exact size…</source>
        <translation>Auf exakte Größe skalieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="378"/>
        <source>Fixing colours…</source>
        <translation>Farben korrigieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="383"/>
        <source>, tile %1 of %2</source>
        <translation>, Kachel %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="394"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="421"/>
        <source>Upscaled to %1 × %2 px in %3 s. Export it with Ctrl+S.</source>
        <translation>In %3 s auf %1 × %2 px hochskaliert. Mit Ctrl+S exportieren.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="367"/>
        <source>The job failed</source>
        <translation>Verarbeitung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="197"/>
        <source>Ctrl+O	Open an image
Ctrl+V	Paste an image
Ctrl+S	Export the view
Ctrl+Shift+S	Export all steps
Ctrl+R	Run
Esc	Cancel the job
Ctrl+M	Models

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
Ctrl+M	Modelle

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
        <location filename="../ui/main_window.cpp" line="449"/>
        <source>Step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="460"/>
        <source>Input (bicubic)</source>
        <translation>Eingabe (bikubisch)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="460"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="470"/>
        <source>Compare: drag the divider; X flips the sides.</source>
        <translation>Vergleich: Trennlinie ziehen; X vertauscht die Seiten.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="470"/>
        <source>Compare off.</source>
        <translation>Vergleich aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="476"/>
        <source>Nothing to paste</source>
        <translation>Nichts zum Einfügen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="476"/>
        <source>The clipboard holds no image. Copy an image first.</source>
        <translation>Die Zwischenablage enthält kein Bild. Kopieren Sie zuerst ein Bild.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="480"/>
        <source>Pasted image</source>
        <translation>Eingefügtes Bild</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="484"/>
        <source>Open Image</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="485"/>
        <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <location filename="../ui/main_window.cpp" line="509"/>
        <location filename="../ui/main_window.cpp" line="529"/>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="492"/>
        <source>Run a job first.</source>
        <translation>Starten Sie zuerst eine Verarbeitung.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="500"/>
        <location filename="../ui/main_window.cpp" line="514"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="503"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="509"/>
        <location filename="../ui/main_window.cpp" line="529"/>
        <source>Run a zoom first.</source>
        <translation>Führen Sie zuerst einen Zoom aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="522"/>
        <source>Export View</source>
        <translation>Ansicht exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="523"/>
        <source>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</source>
        <translation>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532"/>
        <source>PNG, 8-bit</source>
        <translation>PNG, 8 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532"/>
        <source>PNG, 16-bit</source>
        <translation>PNG, 16 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532"/>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532"/>
        <source>WebP</source>
        <translation>WebP</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532"/>
        <source>TIFF, 8-bit</source>
        <translation>TIFF, 8 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="532"/>
        <source>TIFF, 16-bit</source>
        <translation>TIFF, 16 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="536"/>
        <source>Export All Steps</source>
        <translation>Alle Schritte exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="536"/>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="540"/>
        <source>Export All Steps To</source>
        <translation>Alle Schritte exportieren nach</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="560"/>
        <source>Dropped image</source>
        <translation>Abgelegtes Bild</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="563"/>
        <source>Cannot open the drop</source>
        <translation>Abgelegtes Element kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="563"/>
        <source>Drop an image file from your computer.</source>
        <translation>Legen Sie eine Bilddatei von Ihrem Computer ab.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp"/>
        <source>Batch queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp"/>
        <source>Batch finished: %1 done, %2 failed.</source>
        <translation>Stapel beendet: %1 fertig, %2 fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp"/>
        <source>Nothing to queue</source>
        <translation>Nichts einzureihen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp"/>
        <source>No PNG, JPEG, WebP, TIFF or BMP files in what was dropped.</source>
        <translation>Im Abgelegten sind keine PNG-, JPEG-, WebP-, TIFF- oder BMP-Dateien.</translation>
    </message>
</context>
<context>
    <name>coz::ui::ModelsDialog</name>
    <message>
        <location filename="../ui/models_dialog.cpp" line="48"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="51"/>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="52"/>
        <source>Model &amp;files (advanced)</source>
        <translation>Modell&amp;dateien (erweitert)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="68"/>
        <source>Models are downloaded when you need them. A download that stops resumes where it stopped; each file is checked before it is used.</source>
        <translation>Modelle werden heruntergeladen, wenn Sie sie brauchen. Ein unterbrochener Download setzt dort fort, wo er aufgehört hat; jede Datei wird vor der Verwendung geprüft.</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="75"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="75"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="75"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="75"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="75"/>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="113"/>
        <source>Hugging Face token</source>
        <translation>Hugging-Face-Token</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="122"/>
        <location filename="../ui/models_dialog.cpp" line="148"/>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="124"/>
        <source>Save Token</source>
        <translation>Token speichern</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="131"/>
        <source>Gated models need it: create a read token at %1. It is saved in %2.</source>
        <translation>Zugangsbeschränkte Modelle brauchen es: Erstellen Sie ein Lese-Token unter %1. Es wird in %2 gespeichert.</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="148"/>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="158"/>
        <source>Where the SD3-OSEDiff backbone finds its files when you keep them somewhere else. Leave empty to use the downloaded models.</source>
        <translation>Wo das Basismodell SD3-OSEDiff seine Dateien findet, wenn Sie sie an anderer Stelle aufbewahren. Leer lassen, um die heruntergeladenen Modelle zu verwenden.</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="174"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="182"/>
        <source>SD3 folder</source>
        <translation>SD3-Ordner</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="183"/>
        <source>CoZ LoRA file</source>
        <translation>CoZ-LoRA-Datei</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="183"/>
        <source>Checkpoints (*.pkl *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.pkl *.pt *.pth *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="189"/>
        <source>SD3 folder:</source>
        <translation>SD3-Ordner:</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="189"/>
        <source>from the Hugging Face cache</source>
        <translation>aus dem Hugging-Face-Cache</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="190"/>
        <source>The stabilityai/stable-diffusion-3-medium-diffusers folder (holds model_index.json)</source>
        <translation>Der Ordner stabilityai/stable-diffusion-3-medium-diffusers (enthält model_index.json)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="191"/>
        <source>CoZ LoRA:</source>
        <translation>CoZ-LoRA:</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="192"/>
        <source>CoZ&apos;s transformer LoRA (ckpt/SR_LoRA/model_20001.pkl)</source>
        <translation>Transformer-LoRA von CoZ (ckpt/SR_LoRA/model_20001.pkl)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="193"/>
        <source>CoZ VAE LoRA:</source>
        <translation>CoZ-VAE-LoRA:</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="194"/>
        <source>CoZ&apos;s VAE-encoder LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)</source>
        <translation>VAE-Encoder-LoRA von CoZ (ckpt/SR_VAE/vae_encoder_20001.pt)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="195"/>
        <source>Run SD3 without T5 (saves about 9 GB)</source>
        <translation>SD3 ohne T5 ausführen (spart etwa 9 GB)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="245"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="246"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="246"/>
        <location filename="../ui/models_dialog.cpp" line="247"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="248"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="252"/>
        <location filename="../ui/models_dialog.cpp" line="267"/>
        <location filename="../ui/models_dialog.cpp" line="415"/>
        <location filename="../ui/models_dialog.cpp" line="423"/>
        <source>Downloading…</source>
        <translation>Wird heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="254"/>
        <location filename="../ui/models_dialog.cpp" line="301"/>
        <location filename="../ui/models_dialog.cpp" line="397"/>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="256"/>
        <source>Partial (%1 of %2)</source>
        <translation>Teilweise (%1 von %2)</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="256"/>
        <source>Partial</source>
        <translation>Teilweise</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="259"/>
        <source>Missing</source>
        <translation>Fehlt</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="301"/>
        <location filename="../ui/models_dialog.cpp" line="401"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="301"/>
        <location filename="../ui/models_dialog.cpp" line="401"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="301"/>
        <location filename="../ui/models_dialog.cpp" line="393"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="311"/>
        <source>Downloads with it: %1</source>
        <translation>Wird mit heruntergeladen: %1</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="318"/>
        <source>Part of it is downloaded; Resume fetches the rest</source>
        <translation>Ein Teil ist heruntergeladen; Fortsetzen holt den Rest</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="320"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="350"/>
        <source>Cancelling %1…</source>
        <translation>%1 wird abgebrochen…</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="367"/>
        <source>Gated: needs a Hugging Face token and the licence accepted at %1</source>
        <translation>Zugangsbeschränkt: braucht ein Hugging-Face-Token und die Lizenz, akzeptiert unter %1</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="395"/>
        <source>Stop the download; it resumes where it stopped next time</source>
        <translation>Download anhalten; beim nächsten Mal setzt er dort fort, wo er aufgehört hat</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="403"/>
        <source>One download at a time: wait for the current one or cancel it</source>
        <translation>Nur ein Download zur Zeit: Warten Sie auf den laufenden oder brechen Sie ihn ab</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="414"/>
        <source>Starting the download of %1…</source>
        <translation>Download von %1 wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="434"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="435"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="436"/>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="437"/>
        <source>%1: file %2 of %3, %4</source>
        <translation>%1: Datei %2 von %3, %4</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="447"/>
        <source>%1 is installed.</source>
        <translation>%1 ist installiert.</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="448"/>
        <source>Cancelled — the download resumes where it stopped next time.</source>
        <translation>Abgebrochen — der Download setzt beim nächsten Mal dort fort, wo er aufgehört hat.</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="449"/>
        <source>The download of %1 failed: %2</source>
        <translation>Der Download von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="462"/>
        <source>The token was not saved: %1</source>
        <translation>Das Token wurde nicht gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="463"/>
        <source>The token is deleted.</source>
        <translation>Das Token ist gelöscht.</translation>
    </message>
    <message>
        <location filename="../ui/models_dialog.cpp" line="463"/>
        <source>Token saved.</source>
        <translation>Token gespeichert.</translation>
    </message>
</context>
<context>
    <name>coz::ui::SettingsPanel</name>
    <message>
        <location filename="../ui/settings_panel.cpp" line="44"/>
        <source>&amp;Zoom into a point</source>
        <translation>In einen Punkt &amp;zoomen</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="45"/>
        <source>&amp;Upscale whole image</source>
        <translation>Ganzes Bild &amp;hochskalieren</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="62"/>
        <source>Zoom steps:</source>
        <translation>Zoomschritte:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="69"/>
        <source>Scale:</source>
        <translation>Skalierung:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="243"/>
        <source>%1 (not installed)</source>
        <translation>%1 (nicht installiert)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="246"/>
        <location filename="../ui/settings_panel.cpp" line="270"/>
        <source>Not downloaded yet: choose it to download it. %1</source>
        <translation>Noch nicht heruntergeladen: auswählen, um es herunterzuladen. %1</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="249"/>
        <location filename="../ui/settings_panel.cpp" line="271"/>
        <source>Not installed. %1</source>
        <translation>Nicht installiert. %1</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="73"/>
        <source>Backbone:</source>
        <translation>Basismodell:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="76"/>
        <location filename="../ui/settings_panel.cpp" line="112"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="76"/>
        <source>No prompt</source>
        <translation>Kein Prompt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="77"/>
        <source>Custom text</source>
        <translation>Eigener Text</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="77"/>
        <source>Your own text for every step</source>
        <translation>Eigener Text für jeden Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="78"/>
        <source>DAPE tags</source>
        <translation>DAPE-Tags</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="79"/>
        <source>Needs the RAM Swin-L + DAPE tagger, which this build does not include yet</source>
        <translation>Erfordert den RAM Swin-L + DAPE-Tagger, der in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="80"/>
        <source>VLM description</source>
        <translation>VLM-Beschreibung</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="81"/>
        <source>Needs the Qwen2.5-VL model, which this build does not include yet</source>
        <translation>Erfordert das Qwen2.5-VL-Modell, das in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="82"/>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="84"/>
        <source>e.g. sharp fur, detailed</source>
        <translation>z. B. sharp fur, detailed</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="86"/>
        <source>Prompt text:</source>
        <translation>Prompt-Text:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="96"/>
        <source>Download…</source>
        <translation>Herunterladen…</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="98"/>
        <source>Open the Models dialog at this model</source>
        <translation>Den Modelle-Dialog bei diesem Modell öffnen</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="104"/>
        <source>Recursive</source>
        <translation>Rekursiv</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="104"/>
        <source>Each step super-resolves the centre of the previous output</source>
        <translation>Jeder Schritt rekonstruiert die Bildmitte der vorherigen Ausgabe in höherer Auflösung</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="105"/>
        <source>Recursive, multi-scale prompt</source>
        <translation>Rekursiv, Multiskalen-Prompt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="105"/>
        <source>As recursive; VLM prompts also see the previous step</source>
        <translation>Wie „Rekursiv“; VLM-Prompts berücksichtigen zusätzlich den vorherigen Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="106"/>
        <source>One step</source>
        <translation>Ein Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="106"/>
        <source>Every step crops the first image and upscales it at once</source>
        <translation>Jeder Schritt beschneidet das Ausgangsbild und skaliert es in einem Durchgang hoch</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="107"/>
        <source>Bicubic (baseline)</source>
        <translation>Bikubisch (Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="107"/>
        <source>No model: Pillow bicubic</source>
        <translation>Kein Modell: bikubisch (Pillow)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="108"/>
        <source>Nearest (baseline)</source>
        <translation>Nächster Nachbar (Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="108"/>
        <source>No model: nearest neighbour</source>
        <translation>Kein Modell: nächster Nachbar</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="109"/>
        <source>Recursion:</source>
        <translation>Rekursion:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="113"/>
        <source>Wavelet</source>
        <translation>Wavelet</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="113"/>
        <source>Keep the input&apos;s low frequencies (colours), the output&apos;s detail</source>
        <translation>Behält die tiefen Frequenzen (Farben) der Eingabe und die Details der Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="114"/>
        <source>AdaIN</source>
        <translation>AdaIN</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="114"/>
        <source>Match each channel&apos;s mean and spread to the input</source>
        <translation>Gleicht Mittelwert und Streuung jedes Kanals an die Eingabe an</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="115"/>
        <source>Colour fix:</source>
        <translation>Farbkorrektur:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="118"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="119"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="122"/>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="128"/>
        <location filename="../ui/settings_panel.cpp" line="134"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="129"/>
        <source>Process size:</source>
        <translation>Verarbeitungsgröße:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="133"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="135"/>
        <source>Tile size:</source>
        <translation>Kachelgröße:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="137"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="137"/>
        <source>bf16 where the hardware computes it natively, else fp32</source>
        <translation>bf16, wenn die Hardware es nativ unterstützt, sonst fp32</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="141"/>
        <source>Precision:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="144"/>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="156"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="159"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="288"/>
        <source>%1 is not downloaded yet.</source>
        <translation>%1 ist noch nicht heruntergeladen.</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="289"/>
        <location filename="../ui/settings_panel.cpp" line="299"/>
        <source>%1 needs %2, which is not downloaded yet.</source>
        <translation>%1 braucht %2, das noch nicht heruntergeladen ist.</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="313"/>
        <source>Download the missing model first</source>
        <translation>Laden Sie zuerst das fehlende Modell herunter</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="326"/>
        <source>total %1×</source>
        <translation>insgesamt %1×</translation>
    </message>
</context>
<context>
    <name>coz::ui::StepStrip</name>
    <message>
        <location filename="../ui/step_strip.cpp" line="45"/>
        <source>The starting picture (×1) around your zoom point, %1 × %2 px. Click to edit the zoom point.</source>
        <translation>Das Ausgangsbild (×1) um Ihren Zoompunkt, %1 × %2 px. Klicken Sie, um den Zoompunkt zu bearbeiten.</translation>
    </message>
    <message>
        <location filename="../ui/step_strip.cpp" line="55"/>
        <source>Step %1 of %2, magnification %3, %4 ms
Prompt: %5</source>
        <translation>Schritt %1 von %2, Vergrößerung %3, %4 ms
Prompt: %5</translation>
    </message>
    <message>
        <location filename="../ui/step_strip.cpp" line="57"/>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
</context>
</TS>

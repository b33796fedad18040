<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_US">
<context>
    <name>coz::studio::CozEngine</name>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="145"/>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="145"/>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="146"/>
        <source>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU threads.&lt;/p&gt;&lt;p&gt;Backbones:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Models folder: %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU-Threads.&lt;/p&gt;&lt;p&gt;Basismodelle:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Modellordner: %6&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="148"/>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="148"/>
        <source>CUDA devices: %1</source>
        <translation>CUDA-Geräte: %1</translation>
    </message>
    <message>
        <location filename="../app/studio/engine_adapter.cpp" line="304"/>
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
        <location filename="../ui/main_window.cpp" line="36"/>
        <source>CoZ Studio</source>
        <translation>CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="65"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="112"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="113"/>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="114"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>&amp;Paste Image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>&amp;Export View…</source>
        <translation>Ansicht e&amp;xportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="119"/>
        <source>Export &amp;All Steps…</source>
        <translation>&amp;Alle Schritte exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="119"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="121"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="123"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="124"/>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="125"/>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="126"/>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="126"/>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="127"/>
        <source>&amp;Actual Size (100%)</source>
        <translation>&amp;Originalgröße (100%)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="127"/>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="129"/>
        <source>&amp;Compare Input and Output</source>
        <translation>Eingabe und Ausgabe ver&amp;gleichen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="129"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="130"/>
        <source>F&amp;lip Compared Images</source>
        <translation>Verglichene Bilder ver&amp;tauschen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="130"/>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="132"/>
        <source>&amp;Job</source>
        <translation>&amp;Verarbeitung</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="133"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="133"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="134"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="134"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="136"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="137"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="138"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="148"/>
        <source>The language changes when CoZ Studio starts again.</source>
        <translation>Die Sprache wird beim nächsten Start von CoZ Studio umgestellt.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="152"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="155"/>
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
        <location filename="../ui/main_window.cpp" line="160"/>
        <source>&amp;About CoZ Studio</source>
        <translation>Ü&amp;ber CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>About CoZ Studio</source>
        <translation>Über CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="162"/>
        <source>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Chain-of-Zoom extreme super-resolution.&lt;/p&gt;%2</source>
        <translation>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Extreme Super-Resolution mit Chain-of-Zoom.&lt;/p&gt;%2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="185"/>
        <source>A job is running</source>
        <translation>Eine Verarbeitung läuft</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="185"/>
        <source>Cancel the running job before opening another image.</source>
        <translation>Brechen Sie die laufende Verarbeitung ab, bevor Sie ein anderes Bild öffnen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="190"/>
        <location filename="../ui/main_window.cpp" line="201"/>
        <source>Cannot open the image</source>
        <translation>Bild kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="201"/>
        <source>The image is empty.</source>
        <translation>Das Bild ist leer.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="217"/>
        <source>%1 — CoZ Studio</source>
        <translation>%1 — CoZ Studio</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="218"/>
        <source>%1 × %2 px, %3-bit. Click the image to choose where to zoom.</source>
        <translation>%1 × %2 px, %3 Bit. Klicken Sie in das Bild, um den Zoompunkt zu wählen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="247"/>
        <source>Open an image to begin.</source>
        <translation>Öffnen Sie ein Bild, um zu beginnen.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="262"/>
        <source>Steps: %1, total magnification %2×.
The last step shows %3 × %4 px of the image at %5 × %5 px.</source>
        <translation>Schritte: %1, Gesamtvergrößerung %2×.
Der letzte Schritt zeigt %3 × %4 px des Bildes mit %5 × %5 px.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="315"/>
        <source>The input cannot be used</source>
        <translation>Eingabe kann nicht verwendet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="316"/>
        <source>The model could not be loaded</source>
        <translation>Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="317"/>
        <source>Out of memory: try a smaller tile size, the CPU, or fewer steps</source>
        <translation>Nicht genügend Speicher: Versuchen Sie eine kleinere Kachelgröße, die CPU oder weniger Schritte</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="328"/>
        <source>Step %1 of %2: describing the picture…</source>
        <translation>Schritt %1 von %2: Bild wird beschrieben…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="333"/>
        <source>Encoding with the VAE…</source>
        <translation>Kodierung mit dem VAE…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="334"/>
        <source>Decoding with the VAE…</source>
        <translation>Dekodierung mit dem VAE…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="335"/>
        <source>Writing files…</source>
        <translation>Dateien werden geschrieben…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="378"/>
        <source>Done. Steps: %1, time: %2 s. Click a step to view it; C compares input and output.</source>
        <translation>Fertig. Schritte: %1, Zeit: %2 s. Klicken Sie auf einen Schritt, um ihn anzuzeigen; C vergleicht Eingabe und Ausgabe.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="382"/>
        <source>Cancelled. Finished steps kept: %1.</source>
        <translation>Abgebrochen. Abgeschlossene Schritte bleiben erhalten: %1.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="471"/>
        <source>Exported %1 steps, the strip and steps.json to %2</source>
        <translation>%1 Schritte, der Streifen und steps.json wurden nach %2 exportiert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="276"/>
        <source>Output: %1 × %2 px (%3×).</source>
        <translation>Ausgabe: %1 × %2 px (%3×).</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="288"/>
        <source>Cannot run</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="302"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="309"/>
        <source>Cancelling… (finishing the current tile)</source>
        <translation>Wird abgebrochen… (aktuelle Kachel wird abgeschlossen)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="327"/>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="329"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="330"/>
        <source>Upscaling, pass %1 of %2</source>
        <translation>Hochskalieren, Durchgang %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="331"/>
        <source>Resizing to the exact size…</source>
        <translation>Auf exakte Größe skalieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="332"/>
        <source>Fixing colours…</source>
        <translation>Farben korrigieren…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="337"/>
        <source>, tile %1 of %2</source>
        <translation>, Kachel %1 von %2</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="348"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="375"/>
        <source>Upscaled to %1 × %2 px in %3 s. Export it with Ctrl+S.</source>
        <translation>In %3 s auf %1 × %2 px hochskaliert. Mit Ctrl+S exportieren.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="321"/>
        <source>The job failed</source>
        <translation>Verarbeitung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="403"/>
        <source>Step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="414"/>
        <source>Input (bicubic)</source>
        <translation>Eingabe (bikubisch)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="414"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="424"/>
        <source>Compare: drag the divider; X flips the sides.</source>
        <translation>Vergleich: Trennlinie ziehen; X vertauscht die Seiten.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="424"/>
        <source>Compare off.</source>
        <translation>Vergleich aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="430"/>
        <source>Nothing to paste</source>
        <translation>Nichts zum Einfügen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="430"/>
        <source>The clipboard holds no image. Copy an image first.</source>
        <translation>Die Zwischenablage enthält kein Bild. Kopieren Sie zuerst ein Bild.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="434"/>
        <source>Pasted image</source>
        <translation>Eingefügtes Bild</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="438"/>
        <source>Open Image</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="439"/>
        <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="446"/>
        <location filename="../ui/main_window.cpp" line="463"/>
        <location filename="../ui/main_window.cpp" line="483"/>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="446"/>
        <source>Run a job first.</source>
        <translation>Starten Sie zuerst eine Verarbeitung.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="454"/>
        <location filename="../ui/main_window.cpp" line="468"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="457"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="463"/>
        <location filename="../ui/main_window.cpp" line="483"/>
        <source>Run a zoom first.</source>
        <translation>Führen Sie zuerst einen Zoom aus.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="476"/>
        <source>Export View</source>
        <translation>Ansicht exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="477"/>
        <source>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</source>
        <translation>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="486"/>
        <source>PNG, 8-bit</source>
        <translation>PNG, 8 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="486"/>
        <source>PNG, 16-bit</source>
        <translation>PNG, 16 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="486"/>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="486"/>
        <source>WebP</source>
        <translation>WebP</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="486"/>
        <source>TIFF, 8-bit</source>
        <translation>TIFF, 8 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="486"/>
        <source>TIFF, 16-bit</source>
        <translation>TIFF, 16 Bit</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="490"/>
        <source>Export All Steps</source>
        <translation>Alle Schritte exportieren</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="490"/>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="494"/>
        <source>Export All Steps To</source>
        <translation>Alle Schritte exportieren nach</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="514"/>
        <source>Dropped image</source>
        <translation>Abgelegtes Bild</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="517"/>
        <source>Cannot open the drop</source>
        <translation>Abgelegtes Element kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="517"/>
        <source>Drop an image file from your computer.</source>
        <translation>Legen Sie eine Bilddatei von Ihrem Computer ab.</translation>
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
        <location filename="../ui/settings_panel.cpp" line="258"/>
        <source>%1 (not installed)</source>
        <translation>%1 (nicht installiert)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="259"/>
        <source>Not installed. %1</source>
        <translation>Nicht installiert. %1</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="80"/>
        <source>Backbone:</source>
        <translation>Basismodell:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="74"/>
        <source>Files…</source>
        <translation>Dateien…</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="76"/>
        <source>Show where the SD3-OSEDiff backbone finds its files, to set it up</source>
        <translation>Zeigt, wo das Basismodell SD3-OSEDiff seine Dateien findet, um es einzurichten</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="83"/>
        <location filename="../ui/settings_panel.cpp" line="104"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="83"/>
        <source>No prompt</source>
        <translation>Kein Prompt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="84"/>
        <source>Custom text</source>
        <translation>Eigener Text</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="84"/>
        <source>Your own text for every step</source>
        <translation>Eigener Text für jeden Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="85"/>
        <source>DAPE tags</source>
        <translation>DAPE-Tags</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="86"/>
        <source>Needs the RAM Swin-L + DAPE tagger, which this build does not include yet</source>
        <translation>Erfordert den RAM Swin-L + DAPE-Tagger, der in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="87"/>
        <source>VLM description</source>
        <translation>VLM-Beschreibung</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="88"/>
        <source>Needs the Qwen2.5-VL model, which this build does not include yet</source>
        <translation>Erfordert das Qwen2.5-VL-Modell, das in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="89"/>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="91"/>
        <source>e.g. sharp fur, detailed</source>
        <translation>z. B. sharp fur, detailed</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="93"/>
        <source>Prompt text:</source>
        <translation>Prompt-Text:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="96"/>
        <source>Recursive</source>
        <translation>Rekursiv</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="96"/>
        <source>Each step super-resolves the centre of the previous output</source>
        <translation>Jeder Schritt rekonstruiert die Bildmitte der vorherigen Ausgabe in höherer Auflösung</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="97"/>
        <source>Recursive, multi-scale prompt</source>
        <translation>Rekursiv, Multiskalen-Prompt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="97"/>
        <source>As recursive; VLM prompts also see the previous step</source>
        <translation>Wie „Rekursiv“; VLM-Prompts berücksichtigen zusätzlich den vorherigen Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="98"/>
        <source>One step</source>
        <translation>Ein Schritt</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="98"/>
        <source>Every step crops the first image and upscales it at once</source>
        <translation>Jeder Schritt beschneidet das Ausgangsbild und skaliert es in einem Durchgang hoch</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="99"/>
        <source>Bicubic (baseline)</source>
        <translation>Bikubisch (Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="99"/>
        <source>No model: Pillow bicubic</source>
        <translation>Kein Modell: bikubisch (Pillow)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="100"/>
        <source>Nearest (baseline)</source>
        <translation>Nächster Nachbar (Referenz)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="100"/>
        <source>No model: nearest neighbour</source>
        <translation>Kein Modell: nächster Nachbar</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="101"/>
        <source>Recursion:</source>
        <translation>Rekursion:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="105"/>
        <source>Wavelet</source>
        <translation>Wavelet</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="105"/>
        <source>Keep the input&apos;s low frequencies (colours), the output&apos;s detail</source>
        <translation>Behält die tiefen Frequenzen (Farben) der Eingabe und die Details der Ausgabe</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="106"/>
        <source>AdaIN</source>
        <translation>AdaIN</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="106"/>
        <source>Match each channel&apos;s mean and spread to the input</source>
        <translation>Gleicht Mittelwert und Streuung jedes Kanals an die Eingabe an</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="107"/>
        <source>Colour fix:</source>
        <translation>Farbkorrektur:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="110"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="111"/>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="114"/>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="120"/>
        <location filename="../ui/settings_panel.cpp" line="126"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="121"/>
        <source>Process size:</source>
        <translation>Verarbeitungsgröße:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="125"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="127"/>
        <source>Tile size:</source>
        <translation>Kachelgröße:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="129"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="129"/>
        <source>bf16 where the hardware computes it natively, else fp32</source>
        <translation>bf16, wenn die Hardware es nativ unterstützt, sonst fp32</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="133"/>
        <source>Precision:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="136"/>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="140"/>
        <source>SD3-OSEDiff files</source>
        <translation>SD3-OSEDiff-Dateien</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="143"/>
        <source>from the Hugging Face cache</source>
        <translation>aus dem Hugging-Face-Cache</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="144"/>
        <source>The stabilityai/stable-diffusion-3-medium-diffusers folder (holds model_index.json)</source>
        <translation>Der Ordner stabilityai/stable-diffusion-3-medium-diffusers (enthält model_index.json)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="145"/>
        <source>SD3 folder:</source>
        <translation>SD3-Ordner:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="148"/>
        <source>CoZ&apos;s transformer LoRA (ckpt/SR_LoRA/model_20001.pkl)</source>
        <translation>Transformer-LoRA von CoZ (ckpt/SR_LoRA/model_20001.pkl)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="149"/>
        <source>CoZ LoRA:</source>
        <translation>CoZ-LoRA:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="152"/>
        <source>CoZ&apos;s VAE-encoder LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)</source>
        <translation>VAE-Encoder-LoRA von CoZ (ckpt/SR_VAE/vae_encoder_20001.pt)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="153"/>
        <source>CoZ VAE LoRA:</source>
        <translation>CoZ-VAE-LoRA:</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="154"/>
        <source>Run SD3 without T5 (saves about 9 GB)</source>
        <translation>SD3 ohne T5 ausführen (spart etwa 9 GB)</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="167"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="170"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/settings_panel.cpp" line="278"/>
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

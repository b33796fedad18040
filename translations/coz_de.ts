<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_US">
<context>
    <name>coz::studio::CozEngine</name>
    <message>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <source>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU threads.&lt;/p&gt;&lt;p&gt;Backbones:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Models folder: %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU-Threads.&lt;/p&gt;&lt;p&gt;Basismodelle:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Modellordner: %6&lt;/p&gt;</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>nur CPU</translation>
    </message>
    <message>
        <source>CUDA devices: %1</source>
        <translation>CUDA-Geräte: %1</translation>
    </message>
    <message>
        <source>unexpected error in the engine</source>
        <translation>unerwarteter Fehler in der Engine</translation>
    </message>
</context>
<context>
    <name>coz::ui::BatchPanel</name>
    <message>
        <source>%v of %m files</source>
        <translation>%v von %m Dateien</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Stop after the current file; Start goes on from there</source>
        <translation>Nach der aktuellen Datei anhalten; Starten macht dort weiter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>%1 — waiting</source>
        <translation>%1 — wartet</translation>
    </message>
    <message>
        <source>%1 — running %2</source>
        <translation>%1 — läuft %2</translation>
    </message>
    <message>
        <source>%1 — done</source>
        <translation>%1 — fertig</translation>
    </message>
    <message>
        <source>%1 — failed: %2</source>
        <translation>%1 — fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 — cancelled</source>
        <translation>%1 — abgebrochen</translation>
    </message>
    <message>
        <source>Drop several images or a folder on the window to queue them.</source>
        <translation>Mehrere Bilder oder einen Ordner auf das Fenster ziehen, um sie einzureihen.</translation>
    </message>
    <message>
        <source>%1 done, %2 failed, %3 left%4</source>
        <translation>%1 fertig, %2 fehlgeschlagen, %3 übrig%4</translation>
    </message>
    <message>
        <source> — into %1</source>
        <translation> — nach %1</translation>
    </message>
    <message>
        <source>Output folder for the batch</source>
        <translation>Ausgabeordner für den Stapel</translation>
    </message>
    <message>
        <source>(%1/%2)</source>
        <translation>(%1/%2)</translation>
    </message>
</context>
<context>
    <name>coz::ui::ImageViewer</name>
    <message>
        <source>Drop an image here, open one (Ctrl+O) or paste (Ctrl+V)</source>
        <translation>Bild hier ablegen, öffnen (Ctrl+O) oder einfügen (Ctrl+V)</translation>
    </message>
</context>
<context>
    <name>coz::ui::MainWindow</name>
    <message>
        <source>CoZ Studio</source>
        <translation>CoZ Studio</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Paste Image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <source>&amp;Export View…</source>
        <translation>Ansicht e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Export &amp;All Steps…</source>
        <translation>&amp;Alle Schritte exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>&amp;Actual Size (100%)</source>
        <translation>&amp;Originalgröße (100%)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Compare Input and Output</source>
        <translation>Eingabe und Ausgabe ver&amp;gleichen</translation>
    </message>
    <message>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <source>F&amp;lip Compared Images</source>
        <translation>Verglichene Bilder ver&amp;tauschen</translation>
    </message>
    <message>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>&amp;Verarbeitung</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>&amp;Modelle…</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Download models, set the Hugging Face token and model files (Ctrl+M)</source>
        <translation>Modelle herunterladen, Hugging-Face-Token und Modelldateien festlegen (Ctrl+M)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>The language changes when CoZ Studio starts again.</source>
        <translation>Die Sprache wird beim nächsten Start von CoZ Studio umgestellt.</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About CoZ Studio</source>
        <translation>Ü&amp;ber CoZ Studio</translation>
    </message>
    <message>
        <source>About CoZ Studio</source>
        <translation>Über CoZ Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Chain-of-Zoom extreme super-resolution.&lt;/p&gt;%2</source>
        <translation>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Extreme Super-Resolution mit Chain-of-Zoom.&lt;/p&gt;%2</translation>
    </message>
    <message>
        <source>A job is running</source>
        <translation>Eine Verarbeitung läuft</translation>
    </message>
    <message>
        <source>Cancel the running job before opening another image.</source>
        <translation>Brechen Sie die laufende Verarbeitung ab, bevor Sie ein anderes Bild öffnen.</translation>
    </message>
    <message>
        <source>Cannot open the image</source>
        <translation>Bild kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>The image is empty.</source>
        <translation>Das Bild ist leer.</translation>
    </message>
    <message>
        <source>%1 — CoZ Studio</source>
        <translation>%1 — CoZ Studio</translation>
    </message>
    <message>
        <source>%1 × %2 px, %3-bit. Click the image to choose where to zoom.</source>
        <translation>%1 × %2 px, %3 Bit. Klicken Sie in das Bild, um den Zoompunkt zu wählen.</translation>
    </message>
    <message>
        <source>Open an image to begin.</source>
        <translation>Öffnen Sie ein Bild, um zu beginnen.</translation>
    </message>
    <message>
        <source>Steps: %1, total magnification %2×.
The last step shows %3 × %4 px of the image at %5 × %5 px.</source>
        <translation>Schritte: %1, Gesamtvergrößerung %2×.
Der letzte Schritt zeigt %3 × %4 px des Bildes mit %5 × %5 px.</translation>
    </message>
    <message>
        <source>The input cannot be used</source>
        <translation>Eingabe kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>Modell konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>Out of memory: try a smaller tile size, the CPU, or fewer steps</source>
        <translation>Nicht genügend Speicher: Versuchen Sie eine kleinere Kachelgröße, die CPU oder weniger Schritte</translation>
    </message>
    <message>
        <source>Step %1 of %2: describing the picture…</source>
        <translation>Schritt %1 von %2: Bild wird beschrieben…</translation>
    </message>
    <message>
        <source>Encoding with the VAE…</source>
        <translation>Kodierung mit dem VAE…</translation>
    </message>
    <message>
        <source>Decoding with the VAE…</source>
        <translation>Dekodierung mit dem VAE…</translation>
    </message>
    <message>
        <source>Writing files…</source>
        <translation>Dateien werden geschrieben…</translation>
    </message>
    <message>
        <source>Done. Steps: %1, time: %2 s. Click a step to view it; C compares input and output.</source>
        <translation>Fertig. Schritte: %1, Zeit: %2 s. Klicken Sie auf einen Schritt, um ihn anzuzeigen; C vergleicht Eingabe und Ausgabe.</translation>
    </message>
    <message>
        <source>Cancelled. Finished steps kept: %1.</source>
        <translation>Abgebrochen. Abgeschlossene Schritte bleiben erhalten: %1.</translation>
    </message>
    <message>
        <source>Exported %1 steps, the strip and steps.json to %2</source>
        <translation>%1 Schritte, der Streifen und steps.json wurden nach %2 exportiert</translation>
    </message>
    <message>
        <source>Output: %1 × %2 px (%3×).</source>
        <translation>Ausgabe: %1 × %2 px (%3×).</translation>
    </message>
    <message>
        <source>Cannot run</source>
        <translation>Start nicht möglich</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Cancelling… (finishing the current tile)</source>
        <translation>Wird abgebrochen… (aktuelle Kachel wird abgeschlossen)</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <source>Upscaling, pass %1 of %2</source>
        <translation>Hochskalieren, Durchgang %1 von %2</translation>
    </message>
    <message>
        <source>Resizing to the exact size…</source>
        <translation>Auf exakte Größe skalieren…</translation>
    </message>
    <message>
        <source>Fixing colours…</source>
        <translation>Farben korrigieren…</translation>
    </message>
    <message>
        <source>, tile %1 of %2</source>
        <translation>, Kachel %1 von %2</translation>
    </message>
    <message>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <source>Upscaled to %1 × %2 px in %3 s. Export it with Ctrl+S.</source>
        <translation>In %3 s auf %1 × %2 px hochskaliert. Mit Ctrl+S exportieren.</translation>
    </message>
    <message>
        <source>The job failed</source>
        <translation>Verarbeitung fehlgeschlagen</translation>
    </message>
    <message>
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
        <source>Step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <source>Input (bicubic)</source>
        <translation>Eingabe (bikubisch)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Compare: drag the divider; X flips the sides.</source>
        <translation>Vergleich: Trennlinie ziehen; X vertauscht die Seiten.</translation>
    </message>
    <message>
        <source>Compare off.</source>
        <translation>Vergleich aus.</translation>
    </message>
    <message>
        <source>Nothing to paste</source>
        <translation>Nichts zum Einfügen</translation>
    </message>
    <message>
        <source>The clipboard holds no image. Copy an image first.</source>
        <translation>Die Zwischenablage enthält kein Bild. Kopieren Sie zuerst ein Bild.</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>Eingefügtes Bild</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <source>Run a job first.</source>
        <translation>Starten Sie zuerst eine Verarbeitung.</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Run a zoom first.</source>
        <translation>Führen Sie zuerst einen Zoom aus.</translation>
    </message>
    <message>
        <source>Export View</source>
        <translation>Ansicht exportieren</translation>
    </message>
    <message>
        <source>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</source>
        <translation>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</translation>
    </message>
    <message>
        <source>PNG, 8-bit</source>
        <translation>PNG, 8 Bit</translation>
    </message>
    <message>
        <source>PNG, 16-bit</source>
        <translation>PNG, 16 Bit</translation>
    </message>
    <message>
        <source>JPEG</source>
        <translation>JPEG</translation>
    </message>
    <message>
        <source>WebP</source>
        <translation>WebP</translation>
    </message>
    <message>
        <source>TIFF, 8-bit</source>
        <translation>TIFF, 8 Bit</translation>
    </message>
    <message>
        <source>TIFF, 16-bit</source>
        <translation>TIFF, 16 Bit</translation>
    </message>
    <message>
        <source>Export All Steps</source>
        <translation>Alle Schritte exportieren</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Export All Steps To</source>
        <translation>Alle Schritte exportieren nach</translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation>Abgelegtes Bild</translation>
    </message>
    <message>
        <source>Cannot open the drop</source>
        <translation>Abgelegtes Element kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Drop an image file from your computer.</source>
        <translation>Legen Sie eine Bilddatei von Ihrem Computer ab.</translation>
    </message>
    <message>
        <source>Batch queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Batch finished: %1 done, %2 failed.</source>
        <translation>Stapel beendet: %1 fertig, %2 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Nothing to queue</source>
        <translation>Nichts einzureihen</translation>
    </message>
    <message>
        <source>No PNG, JPEG, WebP, TIFF or BMP files in what was dropped.</source>
        <translation>Im Abgelegten sind keine PNG-, JPEG-, WebP-, TIFF- oder BMP-Dateien.</translation>
    </message>
    <message>
        <source>Export Zoom &amp;Video…</source>
        <translation>Zoom&amp;video exportieren…</translation>
    </message>
    <message>
        <source>Open Re&amp;cipe…</source>
        <translation>Re&amp;zept öffnen…</translation>
    </message>
    <message>
        <source>Zoom &amp;Flight</source>
        <translation>Zoom&amp;flug</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>Wird heruntergeladen…</translation>
    </message>
    <message>
        <source>Video frame %1 of %2</source>
        <translation>Videobild %1 von %2</translation>
    </message>
    <message>
        <source>Wrote the zoom video %1 in %2 s.</source>
        <translation>Zoomvideo %1 in %2 s geschrieben.</translation>
    </message>
    <message>
        <source>Video cancelled; no file was written.</source>
        <translation>Video abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Re-ran from step %1 in %2 s: compare the versions in the strip, then keep one.</source>
        <translation>Ab Schritt %1 in %2 s neu berechnet: Vergleichen Sie die Versionen im Streifen und behalten Sie eine.</translation>
    </message>
    <message>
        <source>Prompt of this step</source>
        <translation>Prompt dieses Schritts</translation>
    </message>
    <message>
        <source>Prompt as typed</source>
        <translation>Prompt wie eingegeben</translation>
    </message>
    <message>
        <source>Generate: DAPE</source>
        <translation>Erzeugen: DAPE</translation>
    </message>
    <message>
        <source>Generate: VLM</source>
        <translation>Erzeugen: VLM</translation>
    </message>
    <message>
        <source>Re-run from here</source>
        <translation>Ab hier neu berechnen</translation>
    </message>
    <message>
        <source>Keep the steps before this one and compute the rest again with the new prompt (or the moved rectangle); both versions stay in the strip until you keep one</source>
        <translation>Die Schritte davor bleiben, der Rest wird mit dem neuen Prompt (oder dem verschobenen Rahmen) neu berechnet; beide Versionen bleiben im Streifen, bis Sie eine behalten</translation>
    </message>
    <message>
        <source>Two versions of the chain are in the strip.</source>
        <translation>Im Streifen sind zwei Versionen der Kette.</translation>
    </message>
    <message>
        <source>Keep the new version</source>
        <translation>Neue Version behalten</translation>
    </message>
    <message>
        <source>Keep the previous version</source>
        <translation>Vorherige Version behalten</translation>
    </message>
    <message>
        <source>Magnification (the mouse wheel over the picture does the same)</source>
        <translation>Vergrößerung (das Mausrad über dem Bild tut dasselbe)</translation>
    </message>
    <message>
        <source>Zoom flight</source>
        <translation>Zoomflug</translation>
    </message>
    <message>
        <source>Step %1:</source>
        <translation>Schritt %1:</translation>
    </message>
    <message>
        <source>Nothing to re-run</source>
        <translation>Nichts neu zu berechnen</translation>
    </message>
    <message>
        <source>Keep one version first</source>
        <translation>Zuerst eine Version behalten</translation>
    </message>
    <message>
        <source>The strip shows two versions: keep one before re-running again.</source>
        <translation>Der Streifen zeigt zwei Versionen: Behalten Sie eine, bevor Sie erneut neu berechnen.</translation>
    </message>
    <message>
        <source>Re-running from step %1…</source>
        <translation>Neuberechnung ab Schritt %1…</translation>
    </message>
    <message>
        <source>Kept the new version.</source>
        <translation>Neue Version behalten.</translation>
    </message>
    <message>
        <source>Kept the previous version.</source>
        <translation>Vorherige Version behalten.</translation>
    </message>
    <message>
        <source>Nothing to fly through</source>
        <translation>Nichts zum Durchfliegen</translation>
    </message>
    <message>
        <source>Run a zoom first; the flight goes through its steps.</source>
        <translation>Führen Sie zuerst einen Zoom aus; der Flug geht durch seine Schritte.</translation>
    </message>
    <message>
        <source>Zoom flight: the wheel or the slider changes the magnification.</source>
        <translation>Zoomflug: Mausrad oder Schieberegler ändern die Vergrößerung.</translation>
    </message>
    <message>
        <source>Run a zoom first; the video flies through its steps.</source>
        <translation>Führen Sie zuerst einen Zoom aus; das Video fliegt durch seine Schritte.</translation>
    </message>
    <message>
        <source>Export Zoom Video</source>
        <translation>Zoomvideo exportieren</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Slow start and end</source>
        <translation>Langsamer Anfang und Schluss</translation>
    </message>
    <message>
        <source>Constant speed</source>
        <translation>Gleichmäßiges Tempo</translation>
    </message>
    <message>
        <source>Frames per second:</source>
        <translation>Bilder pro Sekunde:</translation>
    </message>
    <message>
        <source>Length:</source>
        <translation>Länge:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>Pace:</source>
        <translation>Tempo:</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4);;AVI video (*.avi);;Animated GIF (*.gif)</source>
        <translation>MP4-Video (*.mp4);;AVI-Video (*.avi);;Animiertes GIF (*.gif)</translation>
    </message>
    <message>
        <source>Writing the zoom video…</source>
        <translation>Zoomvideo wird geschrieben…</translation>
    </message>
    <message>
        <source>Open Recipe</source>
        <translation>Rezept öffnen</translation>
    </message>
    <message>
        <source>Images written by CoZ (*.png *.jpg *.jpeg *.webp *.tif *.tiff);;All files (*)</source>
        <translation>Von CoZ geschriebene Bilder (*.png *.jpg *.jpeg *.webp *.tif *.tiff);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cancel the running job before opening a recipe.</source>
        <translation>Brechen Sie die laufende Verarbeitung ab, bevor Sie ein Rezept öffnen.</translation>
    </message>
    <message>
        <source>Cannot open the recipe</source>
        <translation>Rezept kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Loaded the recipe of %1 and its input %2. Run repeats it.</source>
        <translation>Rezept von %1 und seine Eingabe %2 geladen. „Starten“ wiederholt es.</translation>
    </message>
    <message>
        <source>Loaded the settings of %1&apos;s recipe; its input image was not found: open it to run.</source>
        <translation>Einstellungen aus dem Rezept von %1 geladen; das Eingabebild wurde nicht gefunden: Öffnen Sie es, um zu starten.</translation>
    </message>
    <message>
        <source>Not available here: %1.</source>
        <translation>Hier nicht verfügbar: %1.</translation>
    </message>
</context>
<context>
    <name>coz::ui::ModelsDialog</name>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <source>Model &amp;files (advanced)</source>
        <translation>Modell&amp;dateien (erweitert)</translation>
    </message>
    <message>
        <source>Models are downloaded when you need them. A download that stops resumes where it stopped; each file is checked before it is used.</source>
        <translation>Modelle werden heruntergeladen, wenn Sie sie brauchen. Ein unterbrochener Download setzt dort fort, wo er aufgehört hat; jede Datei wird vor der Verwendung geprüft.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Hugging-Face-Token</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <source>Save Token</source>
        <translation>Token speichern</translation>
    </message>
    <message>
        <source>Gated models need it: create a read token at %1. It is saved in %2.</source>
        <translation>Zugangsbeschränkte Modelle brauchen es: Erstellen Sie ein Lese-Token unter %1. Es wird in %2 gespeichert.</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Where the SD3-OSEDiff backbone finds its files when you keep them somewhere else. Leave empty to use the downloaded models.</source>
        <translation>Wo das Basismodell SD3-OSEDiff seine Dateien findet, wenn Sie sie an anderer Stelle aufbewahren. Leer lassen, um die heruntergeladenen Modelle zu verwenden.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>SD3 folder</source>
        <translation>SD3-Ordner</translation>
    </message>
    <message>
        <source>CoZ LoRA file</source>
        <translation>CoZ-LoRA-Datei</translation>
    </message>
    <message>
        <source>Checkpoints (*.pkl *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>Checkpoints (*.pkl *.pt *.pth *.safetensors);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>SD3 folder:</source>
        <translation>SD3-Ordner:</translation>
    </message>
    <message>
        <source>from the Hugging Face cache</source>
        <translation>aus dem Hugging-Face-Cache</translation>
    </message>
    <message>
        <source>The stabilityai/stable-diffusion-3-medium-diffusers folder (holds model_index.json)</source>
        <translation>Der Ordner stabilityai/stable-diffusion-3-medium-diffusers (enthält model_index.json)</translation>
    </message>
    <message>
        <source>CoZ LoRA:</source>
        <translation>CoZ-LoRA:</translation>
    </message>
    <message>
        <source>CoZ&apos;s transformer LoRA (ckpt/SR_LoRA/model_20001.pkl)</source>
        <translation>Transformer-LoRA von CoZ (ckpt/SR_LoRA/model_20001.pkl)</translation>
    </message>
    <message>
        <source>CoZ VAE LoRA:</source>
        <translation>CoZ-VAE-LoRA:</translation>
    </message>
    <message>
        <source>CoZ&apos;s VAE-encoder LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)</source>
        <translation>VAE-Encoder-LoRA von CoZ (ckpt/SR_VAE/vae_encoder_20001.pt)</translation>
    </message>
    <message>
        <source>Run SD3 without T5 (saves about 9 GB)</source>
        <translation>SD3 ohne T5 ausführen (spart etwa 9 GB)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>Wird heruntergeladen…</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <source>Partial (%1 of %2)</source>
        <translation>Teilweise (%1 von %2)</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Teilweise</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Fehlt</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Downloads with it: %1</source>
        <translation>Wird mit heruntergeladen: %1</translation>
    </message>
    <message>
        <source>Part of it is downloaded; Resume fetches the rest</source>
        <translation>Ein Teil ist heruntergeladen; Fortsetzen holt den Rest</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Cancelling %1…</source>
        <translation>%1 wird abgebrochen…</translation>
    </message>
    <message>
        <source>Gated: needs a Hugging Face token and the licence accepted at %1</source>
        <translation>Zugangsbeschränkt: braucht ein Hugging-Face-Token und die Lizenz, akzeptiert unter %1</translation>
    </message>
    <message>
        <source>Stop the download; it resumes where it stopped next time</source>
        <translation>Download anhalten; beim nächsten Mal setzt er dort fort, wo er aufgehört hat</translation>
    </message>
    <message>
        <source>One download at a time: wait for the current one or cancel it</source>
        <translation>Nur ein Download zur Zeit: Warten Sie auf den laufenden oder brechen Sie ihn ab</translation>
    </message>
    <message>
        <source>Starting the download of %1…</source>
        <translation>Download von %1 wird gestartet…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>%1: file %2 of %3, %4</source>
        <translation>%1: Datei %2 von %3, %4</translation>
    </message>
    <message>
        <source>%1 is installed.</source>
        <translation>%1 ist installiert.</translation>
    </message>
    <message>
        <source>Cancelled — the download resumes where it stopped next time.</source>
        <translation>Abgebrochen — der Download setzt beim nächsten Mal dort fort, wo er aufgehört hat.</translation>
    </message>
    <message>
        <source>The download of %1 failed: %2</source>
        <translation>Der Download von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The token was not saved: %1</source>
        <translation>Das Token wurde nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>The token is deleted.</source>
        <translation>Das Token ist gelöscht.</translation>
    </message>
    <message>
        <source>Token saved.</source>
        <translation>Token gespeichert.</translation>
    </message>
</context>
<context>
    <name>coz::ui::SettingsPanel</name>
    <message>
        <source>&amp;Zoom into a point</source>
        <translation>In einen Punkt &amp;zoomen</translation>
    </message>
    <message>
        <source>&amp;Upscale whole image</source>
        <translation>Ganzes Bild &amp;hochskalieren</translation>
    </message>
    <message>
        <source>Zoom steps:</source>
        <translation>Zoomschritte:</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Skalierung:</translation>
    </message>
    <message>
        <source>%1 (not installed)</source>
        <translation>%1 (nicht installiert)</translation>
    </message>
    <message>
        <source>Not downloaded yet: choose it to download it. %1</source>
        <translation>Noch nicht heruntergeladen: auswählen, um es herunterzuladen. %1</translation>
    </message>
    <message>
        <source>Not installed. %1</source>
        <translation>Nicht installiert. %1</translation>
    </message>
    <message>
        <source>Backbone:</source>
        <translation>Basismodell:</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>No prompt</source>
        <translation>Kein Prompt</translation>
    </message>
    <message>
        <source>Custom text</source>
        <translation>Eigener Text</translation>
    </message>
    <message>
        <source>Your own text for every step</source>
        <translation>Eigener Text für jeden Schritt</translation>
    </message>
    <message>
        <source>DAPE tags</source>
        <translation>DAPE-Tags</translation>
    </message>
    <message>
        <source>Needs the RAM Swin-L + DAPE tagger, which this build does not include yet</source>
        <translation>Erfordert den RAM Swin-L + DAPE-Tagger, der in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <source>VLM description</source>
        <translation>VLM-Beschreibung</translation>
    </message>
    <message>
        <source>Needs the Qwen2.5-VL model, which this build does not include yet</source>
        <translation>Erfordert das Qwen2.5-VL-Modell, das in diesem Build noch nicht enthalten ist</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <source>e.g. sharp fur, detailed</source>
        <translation>z. B. sharp fur, detailed</translation>
    </message>
    <message>
        <source>Prompt text:</source>
        <translation>Prompt-Text:</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Herunterladen…</translation>
    </message>
    <message>
        <source>Open the Models dialog at this model</source>
        <translation>Den Modelle-Dialog bei diesem Modell öffnen</translation>
    </message>
    <message>
        <source>Recursive</source>
        <translation>Rekursiv</translation>
    </message>
    <message>
        <source>Each step super-resolves the centre of the previous output</source>
        <translation>Jeder Schritt rekonstruiert die Bildmitte der vorherigen Ausgabe in höherer Auflösung</translation>
    </message>
    <message>
        <source>Recursive, multi-scale prompt</source>
        <translation>Rekursiv, Multiskalen-Prompt</translation>
    </message>
    <message>
        <source>As recursive; VLM prompts also see the previous step</source>
        <translation>Wie „Rekursiv“; VLM-Prompts berücksichtigen zusätzlich den vorherigen Schritt</translation>
    </message>
    <message>
        <source>One step</source>
        <translation>Ein Schritt</translation>
    </message>
    <message>
        <source>Every step crops the first image and upscales it at once</source>
        <translation>Jeder Schritt beschneidet das Ausgangsbild und skaliert es in einem Durchgang hoch</translation>
    </message>
    <message>
        <source>Bicubic (baseline)</source>
        <translation>Bikubisch (Referenz)</translation>
    </message>
    <message>
        <source>No model: Pillow bicubic</source>
        <translation>Kein Modell: bikubisch (Pillow)</translation>
    </message>
    <message>
        <source>Nearest (baseline)</source>
        <translation>Nächster Nachbar (Referenz)</translation>
    </message>
    <message>
        <source>No model: nearest neighbour</source>
        <translation>Kein Modell: nächster Nachbar</translation>
    </message>
    <message>
        <source>Recursion:</source>
        <translation>Rekursion:</translation>
    </message>
    <message>
        <source>Wavelet</source>
        <translation>Wavelet</translation>
    </message>
    <message>
        <source>Keep the input&apos;s low frequencies (colours), the output&apos;s detail</source>
        <translation>Behält die tiefen Frequenzen (Farben) der Eingabe und die Details der Ausgabe</translation>
    </message>
    <message>
        <source>AdaIN</source>
        <translation>AdaIN</translation>
    </message>
    <message>
        <source>Match each channel&apos;s mean and spread to the input</source>
        <translation>Gleicht Mittelwert und Streuung jedes Kanals an die Eingabe an</translation>
    </message>
    <message>
        <source>Colour fix:</source>
        <translation>Farbkorrektur:</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Process size:</source>
        <translation>Verarbeitungsgröße:</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Tile size:</source>
        <translation>Kachelgröße:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>bf16 where the hardware computes it natively, else fp32</source>
        <translation>bf16, wenn die Hardware es nativ unterstützt, sonst fp32</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>%1 is not downloaded yet.</source>
        <translation>%1 ist noch nicht heruntergeladen.</translation>
    </message>
    <message>
        <source>%1 needs %2, which is not downloaded yet.</source>
        <translation>%1 braucht %2, das noch nicht heruntergeladen ist.</translation>
    </message>
    <message>
        <source>Download the missing model first</source>
        <translation>Laden Sie zuerst das fehlende Modell herunter</translation>
    </message>
    <message>
        <source>total %1×</source>
        <translation>insgesamt %1×</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>prompt mode</source>
        <translation>Prompt-Modus</translation>
    </message>
    <message>
        <source>recursion</source>
        <translation>Rekursion</translation>
    </message>
    <message>
        <source>colour fix</source>
        <translation>Farbkorrektur</translation>
    </message>
    <message>
        <source>device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>Genauigkeit</translation>
    </message>
</context>
<context>
    <name>coz::ui::StepStrip</name>
    <message>
        <source>The starting picture (×1) around your zoom point, %1 × %2 px. Click to edit the zoom point.</source>
        <translation>Das Ausgangsbild (×1) um Ihren Zoompunkt, %1 × %2 px. Klicken Sie, um den Zoompunkt zu bearbeiten.</translation>
    </message>
    <message>
        <source>Step %1 of %2, magnification %3, %4 ms
Prompt: %5</source>
        <translation>Schritt %1 von %2, Vergrößerung %3, %4 ms
Prompt: %5</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>after</source>
        <translation>nachher</translation>
    </message>
    <message>
        <source>before</source>
        <translation>vorher</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en_US">
<context>
    <name>coz::studio::CozEngine</name>
    <message>
        <source>installed</source>
        <translation>설치됨</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>설치되지 않음</translation>
    </message>
    <message>
        <source>&lt;p&gt;Engine %1, LibTorch %2 (%3), %4 CPU threads.&lt;/p&gt;&lt;p&gt;Backbones:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;Models folder: %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;엔진 %1, LibTorch %2 (%3), CPU 스레드 %4개.&lt;/p&gt;&lt;p&gt;백본 모델:&lt;/p&gt;&lt;ul&gt;%5&lt;/ul&gt;&lt;p&gt;모델 폴더: %6&lt;/p&gt;</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>CPU 전용</translation>
    </message>
    <message>
        <source>CUDA devices: %1</source>
        <translation>CUDA 장치: %1</translation>
    </message>
    <message>
        <source>unexpected error in the engine</source>
        <translation>엔진에서 예기치 않은 오류가 발생했습니다</translation>
    </message>
</context>
<context>
    <name>coz::ui::BatchPanel</name>
    <message>
        <source>%v of %m files</source>
        <translation>%m개 파일 중 %v개</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Stop after the current file; Start goes on from there</source>
        <translation>현재 파일을 마친 뒤 멈춥니다. 시작을 누르면 거기서 이어집니다</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>비우기</translation>
    </message>
    <message>
        <source>%1 — waiting</source>
        <translation>%1 — 대기 중</translation>
    </message>
    <message>
        <source>%1 — running %2</source>
        <translation>%1 — 실행 중 %2</translation>
    </message>
    <message>
        <source>%1 — done</source>
        <translation>%1 — 완료</translation>
    </message>
    <message>
        <source>%1 — failed: %2</source>
        <translation>%1 — 실패: %2</translation>
    </message>
    <message>
        <source>%1 — cancelled</source>
        <translation>%1 — 취소됨</translation>
    </message>
    <message>
        <source>Drop several images or a folder on the window to queue them.</source>
        <translation>여러 이미지나 폴더를 창에 끌어다 놓으면 대기열에 들어갑니다.</translation>
    </message>
    <message>
        <source>%1 done, %2 failed, %3 left%4</source>
        <translation>완료 %1, 실패 %2, 남음 %3%4</translation>
    </message>
    <message>
        <source> — into %1</source>
        <translation> — 저장 위치: %1</translation>
    </message>
    <message>
        <source>Output folder for the batch</source>
        <translation>일괄 처리 출력 폴더</translation>
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
        <translation>여기에 이미지를 끌어다 놓거나, 열거나(Ctrl+O), 붙여넣으세요(Ctrl+V)</translation>
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
        <translation>준비됨</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Paste Image</source>
        <translation>이미지 붙여넣기(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Export View…</source>
        <translation>현재 보기 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;All Steps…</source>
        <translation>모든 단계 내보내기(&amp;A)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>확대(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>축소(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>창에 맞추기(&amp;F)</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>&amp;Actual Size (100%)</source>
        <translation>실제 크기(100%)(&amp;A)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Compare Input and Output</source>
        <translation>입력과 출력 비교(&amp;C)</translation>
    </message>
    <message>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <source>F&amp;lip Compared Images</source>
        <translation>비교 이미지 서로 바꾸기(&amp;L)</translation>
    </message>
    <message>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <source>&amp;Job</source>
        <translation>작업(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>실행(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>취소(&amp;C)</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>설정(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>모델(&amp;M)…</translation>
    </message>
    <message>
        <source>Ctrl+M</source>
        <translation>Ctrl+M</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Download models, set the Hugging Face token and model files (Ctrl+M)</source>
        <translation>모델 다운로드, Hugging Face 토큰과 모델 파일 설정 (Ctrl+M)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>The language changes when CoZ Studio starts again.</source>
        <translation>언어는 CoZ Studio를 다시 시작하면 변경됩니다.</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>도구 모음</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>&amp;About CoZ Studio</source>
        <translation>CoZ Studio 정보(&amp;A)</translation>
    </message>
    <message>
        <source>About CoZ Studio</source>
        <translation>CoZ Studio 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Chain-of-Zoom extreme super-resolution.&lt;/p&gt;%2</source>
        <translation>&lt;h3&gt;CoZ Studio %1&lt;/h3&gt;&lt;p&gt;Chain-of-Zoom 기반 초고배율 초해상도.&lt;/p&gt;%2</translation>
    </message>
    <message>
        <source>A job is running</source>
        <translation>작업 실행 중</translation>
    </message>
    <message>
        <source>Cancel the running job before opening another image.</source>
        <translation>다른 이미지를 열기 전에 실행 중인 작업을 취소하세요.</translation>
    </message>
    <message>
        <source>Cannot open the image</source>
        <translation>이미지를 열 수 없음</translation>
    </message>
    <message>
        <source>The image is empty.</source>
        <translation>이미지가 비어 있습니다.</translation>
    </message>
    <message>
        <source>%1 — CoZ Studio</source>
        <translation>%1 — CoZ Studio</translation>
    </message>
    <message>
        <source>%1 × %2 px, %3-bit. Click the image to choose where to zoom.</source>
        <translation>%1 × %2 px, %3비트. 이미지를 클릭하여 확대할 위치를 선택하세요.</translation>
    </message>
    <message>
        <source>Open an image to begin.</source>
        <translation>시작하려면 이미지를 여세요.</translation>
    </message>
    <message>
        <source>Steps: %1, total magnification %2×.
The last step shows %3 × %4 px of the image at %5 × %5 px.</source>
        <translation>단계: %1, 총 배율 %2×.
마지막 단계는 이미지의 %3 × %4 px 영역을 %5 × %5 px로 보여 줍니다.</translation>
    </message>
    <message>
        <source>The input cannot be used</source>
        <translation>입력을 사용할 수 없음</translation>
    </message>
    <message>
        <source>The model could not be loaded</source>
        <translation>모델을 불러올 수 없음</translation>
    </message>
    <message>
        <source>Out of memory: try a smaller tile size, the CPU, or fewer steps</source>
        <translation>메모리 부족: 타일 크기를 줄이거나, CPU를 사용하거나, 단계 수를 줄여 보세요</translation>
    </message>
    <message>
        <source>Step %1 of %2: describing the picture…</source>
        <translation>단계 %1/%2: 이미지를 설명하는 중…</translation>
    </message>
    <message>
        <source>Encoding with the VAE…</source>
        <translation>VAE로 인코딩하는 중…</translation>
    </message>
    <message>
        <source>Decoding with the VAE…</source>
        <translation>VAE로 디코딩하는 중…</translation>
    </message>
    <message>
        <source>Writing files…</source>
        <translation>파일을 쓰는 중…</translation>
    </message>
    <message>
        <source>Done. Steps: %1, time: %2 s. Click a step to view it; C compares input and output.</source>
        <translation>완료. 단계: %1, 시간: %2초. 단계를 클릭하면 표시되고, C 키로 입력과 출력을 비교합니다.</translation>
    </message>
    <message>
        <source>Cancelled. Finished steps kept: %1.</source>
        <translation>취소되었습니다. 완료된 단계는 유지됩니다: %1.</translation>
    </message>
    <message>
        <source>Exported %1 steps, the strip and steps.json to %2</source>
        <translation>%1개 단계, 스트립과 steps.json을 %2에 내보냈습니다</translation>
    </message>
    <message>
        <source>Output: %1 × %2 px (%3×).</source>
        <translation>출력: %1 × %2 px (%3×).</translation>
    </message>
    <message>
        <source>Cannot run</source>
        <translation>실행할 수 없음</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Cancelling… (finishing the current tile)</source>
        <translation>취소하는 중… (현재 타일 마무리 중)</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>단계 %1/%2</translation>
    </message>
    <message>
        <source>Upscaling, pass %1 of %2</source>
        <translation>업스케일링, 패스 %1/%2</translation>
    </message>
    <message>
        <source>Resizing to the exact size…</source>
        <translation>정확한 크기로 조정하는 중…</translation>
    </message>
    <message>
        <source>Fixing colours…</source>
        <translation>색상 보정하는 중…</translation>
    </message>
    <message>
        <source>, tile %1 of %2</source>
        <translation>, 타일 %1/%2</translation>
    </message>
    <message>
        <source>about %1 s left</source>
        <translation>약 %1초 남음</translation>
    </message>
    <message>
        <source>Upscaled to %1 × %2 px in %3 s. Export it with Ctrl+S.</source>
        <translation>%3초 만에 %1 × %2 px로 업스케일했습니다. Ctrl+S로 내보내세요.</translation>
    </message>
    <message>
        <source>The job failed</source>
        <translation>작업 실패</translation>
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
        <translation>Ctrl+O	이미지 열기
Ctrl+V	이미지 붙여넣기
Ctrl+S	현재 보기 내보내기
Ctrl+Shift+S	모든 단계 내보내기
Ctrl+R	실행
Esc	작업 취소
Ctrl+M	모델

클릭	확대 지점 설정
Shift+드래그	사각형 영역 확대
휠, + / -	보기 확대/축소
드래그, 화살표 키	화면 이동
Ctrl+0, F	창에 맞추기
Ctrl+1, 1	실제 크기
C	단계의 입력과 출력 비교
Ctrl+단계 클릭	두 단계 비교
X	비교 이미지 서로 바꾸기</translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation>단계 %1</translation>
    </message>
    <message>
        <source>Input (bicubic)</source>
        <translation>입력 (바이큐빅)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Compare: drag the divider; X flips the sides.</source>
        <translation>비교: 구분선을 드래그하세요. X 키로 양쪽을 서로 바꿉니다.</translation>
    </message>
    <message>
        <source>Compare off.</source>
        <translation>비교 끔.</translation>
    </message>
    <message>
        <source>Nothing to paste</source>
        <translation>붙여넣을 항목 없음</translation>
    </message>
    <message>
        <source>The clipboard holds no image. Copy an image first.</source>
        <translation>클립보드에 이미지가 없습니다. 먼저 이미지를 복사하세요.</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>붙여넣은 이미지</translation>
    </message>
    <message>
        <source>Open Image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;All files (*)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>내보낼 항목 없음</translation>
    </message>
    <message>
        <source>Run a job first.</source>
        <translation>먼저 작업을 실행하세요.</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 저장됨</translation>
    </message>
    <message>
        <source>Run a zoom first.</source>
        <translation>먼저 확대를 실행하세요.</translation>
    </message>
    <message>
        <source>Export View</source>
        <translation>현재 보기 내보내기</translation>
    </message>
    <message>
        <source>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</source>
        <translation>PNG (*.png);;JPEG (*.jpg);;WebP (*.webp);;TIFF (*.tif)</translation>
    </message>
    <message>
        <source>PNG, 8-bit</source>
        <translation>PNG, 8비트</translation>
    </message>
    <message>
        <source>PNG, 16-bit</source>
        <translation>PNG, 16비트</translation>
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
        <translation>TIFF, 8비트</translation>
    </message>
    <message>
        <source>TIFF, 16-bit</source>
        <translation>TIFF, 16비트</translation>
    </message>
    <message>
        <source>Export All Steps</source>
        <translation>모든 단계 내보내기</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>형식:</translation>
    </message>
    <message>
        <source>Export All Steps To</source>
        <translation>모든 단계를 내보낼 폴더</translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation>끌어다 놓은 이미지</translation>
    </message>
    <message>
        <source>Cannot open the drop</source>
        <translation>끌어다 놓은 항목을 열 수 없음</translation>
    </message>
    <message>
        <source>Drop an image file from your computer.</source>
        <translation>컴퓨터에 있는 이미지 파일을 끌어다 놓으세요.</translation>
    </message>
    <message>
        <source>Batch queue</source>
        <translation>일괄 처리 대기열</translation>
    </message>
    <message>
        <source>Batch finished: %1 done, %2 failed.</source>
        <translation>일괄 처리 끝: 완료 %1, 실패 %2.</translation>
    </message>
    <message>
        <source>Nothing to queue</source>
        <translation>대기열에 넣을 것이 없습니다</translation>
    </message>
    <message>
        <source>No PNG, JPEG, WebP, TIFF or BMP files in what was dropped.</source>
        <translation>끌어다 놓은 항목에 PNG, JPEG, WebP, TIFF, BMP 파일이 없습니다.</translation>
    </message>
    <message>
        <source>Export Zoom &amp;Video…</source>
        <translation>줌 동영상 내보내기(&amp;V)…</translation>
    </message>
    <message>
        <source>Open Re&amp;cipe…</source>
        <translation>레시피 열기(&amp;C)…</translation>
    </message>
    <message>
        <source>Zoom &amp;Flight</source>
        <translation>줌 비행(&amp;F)</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>다운로드 중…</translation>
    </message>
    <message>
        <source>Video frame %1 of %2</source>
        <translation>동영상 프레임 %1/%2</translation>
    </message>
    <message>
        <source>Wrote the zoom video %1 in %2 s.</source>
        <translation>줌 동영상 %1을(를) %2초 만에 저장했습니다.</translation>
    </message>
    <message>
        <source>Video cancelled; no file was written.</source>
        <translation>동영상이 취소되었습니다. 파일을 쓰지 않았습니다.</translation>
    </message>
    <message>
        <source>Re-ran from step %1 in %2 s: compare the versions in the strip, then keep one.</source>
        <translation>%1단계부터 %2초 만에 다시 계산했습니다. 스트립에서 두 버전을 비교한 뒤 하나를 남기세요.</translation>
    </message>
    <message>
        <source>Prompt of this step</source>
        <translation>이 단계의 프롬프트</translation>
    </message>
    <message>
        <source>Prompt as typed</source>
        <translation>입력한 프롬프트</translation>
    </message>
    <message>
        <source>Generate: DAPE</source>
        <translation>생성: DAPE</translation>
    </message>
    <message>
        <source>Generate: VLM</source>
        <translation>생성: VLM</translation>
    </message>
    <message>
        <source>Re-run from here</source>
        <translation>여기서부터 다시 실행</translation>
    </message>
    <message>
        <source>Keep the steps before this one and compute the rest again with the new prompt (or the moved rectangle); both versions stay in the strip until you keep one</source>
        <translation>이전 단계는 유지하고 나머지를 새 프롬프트(또는 옮긴 사각형)로 다시 계산합니다. 하나를 남길 때까지 두 버전이 스트립에 표시됩니다</translation>
    </message>
    <message>
        <source>Two versions of the chain are in the strip.</source>
        <translation>스트립에 체인의 두 버전이 있습니다.</translation>
    </message>
    <message>
        <source>Keep the new version</source>
        <translation>새 버전 유지</translation>
    </message>
    <message>
        <source>Keep the previous version</source>
        <translation>이전 버전 유지</translation>
    </message>
    <message>
        <source>Magnification (the mouse wheel over the picture does the same)</source>
        <translation>배율 (그림 위에서 마우스 휠로도 조절)</translation>
    </message>
    <message>
        <source>Zoom flight</source>
        <translation>줌 비행</translation>
    </message>
    <message>
        <source>Step %1:</source>
        <translation>%1단계:</translation>
    </message>
    <message>
        <source>Nothing to re-run</source>
        <translation>다시 실행할 것이 없습니다</translation>
    </message>
    <message>
        <source>Keep one version first</source>
        <translation>먼저 한 버전을 남기세요</translation>
    </message>
    <message>
        <source>The strip shows two versions: keep one before re-running again.</source>
        <translation>스트립에 두 버전이 있습니다. 다시 실행하기 전에 하나를 남기세요.</translation>
    </message>
    <message>
        <source>Re-running from step %1…</source>
        <translation>%1단계부터 다시 실행 중…</translation>
    </message>
    <message>
        <source>Kept the new version.</source>
        <translation>새 버전을 남겼습니다.</translation>
    </message>
    <message>
        <source>Kept the previous version.</source>
        <translation>이전 버전을 남겼습니다.</translation>
    </message>
    <message>
        <source>Nothing to fly through</source>
        <translation>비행할 것이 없습니다</translation>
    </message>
    <message>
        <source>Run a zoom first; the flight goes through its steps.</source>
        <translation>먼저 줌을 실행하세요. 비행은 그 단계들을 통과합니다.</translation>
    </message>
    <message>
        <source>Zoom flight: the wheel or the slider changes the magnification.</source>
        <translation>줌 비행: 휠이나 슬라이더로 배율을 바꿉니다.</translation>
    </message>
    <message>
        <source>Run a zoom first; the video flies through its steps.</source>
        <translation>먼저 줌을 실행하세요. 동영상은 그 단계들을 통과합니다.</translation>
    </message>
    <message>
        <source>Export Zoom Video</source>
        <translation>줌 동영상 내보내기</translation>
    </message>
    <message>
        <source> s</source>
        <translation>초</translation>
    </message>
    <message>
        <source>Slow start and end</source>
        <translation>느린 시작과 끝</translation>
    </message>
    <message>
        <source>Constant speed</source>
        <translation>일정한 속도</translation>
    </message>
    <message>
        <source>Frames per second:</source>
        <translation>초당 프레임:</translation>
    </message>
    <message>
        <source>Length:</source>
        <translation>길이:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>크기:</translation>
    </message>
    <message>
        <source>Pace:</source>
        <translation>속도:</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4);;AVI video (*.avi);;Animated GIF (*.gif)</source>
        <translation>MP4 동영상 (*.mp4);;AVI 동영상 (*.avi);;애니메이션 GIF (*.gif)</translation>
    </message>
    <message>
        <source>Writing the zoom video…</source>
        <translation>줌 동영상을 쓰는 중…</translation>
    </message>
    <message>
        <source>Open Recipe</source>
        <translation>레시피 열기</translation>
    </message>
    <message>
        <source>Images written by CoZ (*.png *.jpg *.jpeg *.webp *.tif *.tiff);;All files (*)</source>
        <translation>CoZ가 쓴 이미지 (*.png *.jpg *.jpeg *.webp *.tif *.tiff);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cancel the running job before opening a recipe.</source>
        <translation>레시피를 열기 전에 실행 중인 작업을 취소하세요.</translation>
    </message>
    <message>
        <source>Cannot open the recipe</source>
        <translation>레시피를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Loaded the recipe of %1 and its input %2. Run repeats it.</source>
        <translation>%1의 레시피와 입력 %2을(를) 불러왔습니다. 실행하면 똑같이 반복합니다.</translation>
    </message>
    <message>
        <source>Loaded the settings of %1&apos;s recipe; its input image was not found: open it to run.</source>
        <translation>%1 레시피의 설정을 불러왔습니다. 입력 이미지를 찾지 못했습니다. 실행하려면 직접 여세요.</translation>
    </message>
    <message>
        <source>Not available here: %1.</source>
        <translation>여기서 사용할 수 없음: %1.</translation>
    </message>
</context>
<context>
    <name>coz::ui::ModelsDialog</name>
    <message>
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>모델(&amp;M)</translation>
    </message>
    <message>
        <source>Model &amp;files (advanced)</source>
        <translation>모델 파일(&amp;F) (고급)</translation>
    </message>
    <message>
        <source>Models are downloaded when you need them. A download that stops resumes where it stopped; each file is checked before it is used.</source>
        <translation>모델은 필요할 때 다운로드됩니다. 중단된 다운로드는 멈춘 곳부터 이어서 받으며, 각 파일은 사용하기 전에 검사합니다.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>라이선스</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>위치</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Hugging Face 토큰</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>보기</translation>
    </message>
    <message>
        <source>Save Token</source>
        <translation>토큰 저장</translation>
    </message>
    <message>
        <source>Gated models need it: create a read token at %1. It is saved in %2.</source>
        <translation>접근 제한 모델에 필요합니다. %1에서 읽기 토큰을 만드세요. 토큰은 %2에 저장됩니다.</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>숨기기</translation>
    </message>
    <message>
        <source>Where the SD3-OSEDiff backbone finds its files when you keep them somewhere else. Leave empty to use the downloaded models.</source>
        <translation>파일을 다른 곳에 두었을 때 SD3-OSEDiff 백본 모델이 파일을 찾는 위치입니다. 다운로드한 모델을 쓰려면 비워 두세요.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>SD3 folder</source>
        <translation>SD3 폴더</translation>
    </message>
    <message>
        <source>CoZ LoRA file</source>
        <translation>CoZ LoRA 파일</translation>
    </message>
    <message>
        <source>Checkpoints (*.pkl *.pt *.pth *.safetensors);;All files (*)</source>
        <translation>체크포인트 (*.pkl *.pt *.pth *.safetensors);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>SD3 folder:</source>
        <translation>SD3 폴더:</translation>
    </message>
    <message>
        <source>from the Hugging Face cache</source>
        <translation>Hugging Face 캐시에서</translation>
    </message>
    <message>
        <source>The stabilityai/stable-diffusion-3-medium-diffusers folder (holds model_index.json)</source>
        <translation>stabilityai/stable-diffusion-3-medium-diffusers 폴더 (model_index.json 포함)</translation>
    </message>
    <message>
        <source>CoZ LoRA:</source>
        <translation>CoZ LoRA:</translation>
    </message>
    <message>
        <source>CoZ&apos;s transformer LoRA (ckpt/SR_LoRA/model_20001.pkl)</source>
        <translation>CoZ의 트랜스포머 LoRA (ckpt/SR_LoRA/model_20001.pkl)</translation>
    </message>
    <message>
        <source>CoZ VAE LoRA:</source>
        <translation>CoZ VAE LoRA:</translation>
    </message>
    <message>
        <source>CoZ&apos;s VAE-encoder LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)</source>
        <translation>CoZ의 VAE 인코더 LoRA (ckpt/SR_VAE/vae_encoder_20001.pt)</translation>
    </message>
    <message>
        <source>Run SD3 without T5 (saves about 9 GB)</source>
        <translation>T5 없이 SD3 실행 (약 9 GB 절약)</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1분</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>다운로드 중…</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>설치됨</translation>
    </message>
    <message>
        <source>Partial (%1 of %2)</source>
        <translation>일부 (%2 중 %1)</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>일부</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>이어받기</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Downloads with it: %1</source>
        <translation>함께 다운로드: %1</translation>
    </message>
    <message>
        <source>Part of it is downloaded; Resume fetches the rest</source>
        <translation>일부만 다운로드되었습니다. 이어받기로 나머지를 받습니다</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <source>Cancelling %1…</source>
        <translation>%1 취소 중…</translation>
    </message>
    <message>
        <source>Gated: needs a Hugging Face token and the licence accepted at %1</source>
        <translation>접근 제한: Hugging Face 토큰과 %1에서 수락한 라이선스가 필요합니다</translation>
    </message>
    <message>
        <source>Stop the download; it resumes where it stopped next time</source>
        <translation>다운로드를 멈춥니다. 다음에 멈춘 곳부터 이어서 받습니다</translation>
    </message>
    <message>
        <source>One download at a time: wait for the current one or cancel it</source>
        <translation>한 번에 하나만 다운로드합니다. 현재 다운로드를 기다리거나 취소하세요</translation>
    </message>
    <message>
        <source>Starting the download of %1…</source>
        <translation>%1 다운로드를 시작하는 중…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 남음</translation>
    </message>
    <message>
        <source>%1: file %2 of %3, %4</source>
        <translation>%1: 파일 %2/%3, %4</translation>
    </message>
    <message>
        <source>%1 is installed.</source>
        <translation>%1 설치를 마쳤습니다.</translation>
    </message>
    <message>
        <source>Cancelled — the download resumes where it stopped next time.</source>
        <translation>취소됨 — 다음에 멈춘 곳부터 이어서 다운로드합니다.</translation>
    </message>
    <message>
        <source>The download of %1 failed: %2</source>
        <translation>%1 다운로드 실패: %2</translation>
    </message>
    <message>
        <source>The token was not saved: %1</source>
        <translation>토큰을 저장하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>The token is deleted.</source>
        <translation>토큰을 삭제했습니다.</translation>
    </message>
    <message>
        <source>Token saved.</source>
        <translation>토큰을 저장했습니다.</translation>
    </message>
</context>
<context>
    <name>coz::ui::SettingsPanel</name>
    <message>
        <source>&amp;Zoom into a point</source>
        <translation>한 지점 확대(&amp;Z)</translation>
    </message>
    <message>
        <source>&amp;Upscale whole image</source>
        <translation>전체 이미지 업스케일(&amp;U)</translation>
    </message>
    <message>
        <source>Zoom steps:</source>
        <translation>확대 단계:</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>배율:</translation>
    </message>
    <message>
        <source>%1 (not installed)</source>
        <translation>%1 (설치되지 않음)</translation>
    </message>
    <message>
        <source>Not downloaded yet: choose it to download it. %1</source>
        <translation>아직 다운로드하지 않았습니다. 선택하면 다운로드할 수 있습니다. %1</translation>
    </message>
    <message>
        <source>Not installed. %1</source>
        <translation>설치되지 않았습니다. %1</translation>
    </message>
    <message>
        <source>Backbone:</source>
        <translation>백본 모델:</translation>
    </message>
    <message>
        <source>None</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>No prompt</source>
        <translation>프롬프트 없음</translation>
    </message>
    <message>
        <source>Custom text</source>
        <translation>사용자 지정 텍스트</translation>
    </message>
    <message>
        <source>Your own text for every step</source>
        <translation>모든 단계에 직접 입력한 텍스트 사용</translation>
    </message>
    <message>
        <source>DAPE tags</source>
        <translation>DAPE 태그</translation>
    </message>
    <message>
        <source>Needs the RAM Swin-L + DAPE tagger, which this build does not include yet</source>
        <translation>RAM Swin-L + DAPE 태거가 필요하지만 이 빌드에는 아직 포함되어 있지 않습니다</translation>
    </message>
    <message>
        <source>VLM description</source>
        <translation>VLM 설명</translation>
    </message>
    <message>
        <source>Needs the Qwen2.5-VL model, which this build does not include yet</source>
        <translation>Qwen2.5-VL 모델이 필요하지만 이 빌드에는 아직 포함되어 있지 않습니다</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>프롬프트:</translation>
    </message>
    <message>
        <source>e.g. sharp fur, detailed</source>
        <translation>예: sharp fur, detailed</translation>
    </message>
    <message>
        <source>Prompt text:</source>
        <translation>프롬프트 텍스트:</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>다운로드…</translation>
    </message>
    <message>
        <source>Open the Models dialog at this model</source>
        <translation>이 모델을 선택한 채로 모델 대화 상자 열기</translation>
    </message>
    <message>
        <source>Recursive</source>
        <translation>재귀</translation>
    </message>
    <message>
        <source>Each step super-resolves the centre of the previous output</source>
        <translation>각 단계에서 이전 출력의 중앙 부분을 초해상도로 복원합니다</translation>
    </message>
    <message>
        <source>Recursive, multi-scale prompt</source>
        <translation>재귀, 다중 스케일 프롬프트</translation>
    </message>
    <message>
        <source>As recursive; VLM prompts also see the previous step</source>
        <translation>재귀와 같지만 VLM 프롬프트가 이전 단계도 참고합니다</translation>
    </message>
    <message>
        <source>One step</source>
        <translation>단일 단계</translation>
    </message>
    <message>
        <source>Every step crops the first image and upscales it at once</source>
        <translation>각 단계에서 첫 이미지를 잘라 한 번에 업스케일합니다</translation>
    </message>
    <message>
        <source>Bicubic (baseline)</source>
        <translation>바이큐빅 (기준선)</translation>
    </message>
    <message>
        <source>No model: Pillow bicubic</source>
        <translation>모델 없음: Pillow 바이큐빅</translation>
    </message>
    <message>
        <source>Nearest (baseline)</source>
        <translation>최근접 이웃 (기준선)</translation>
    </message>
    <message>
        <source>No model: nearest neighbour</source>
        <translation>모델 없음: 최근접 이웃</translation>
    </message>
    <message>
        <source>Recursion:</source>
        <translation>재귀 방식:</translation>
    </message>
    <message>
        <source>Wavelet</source>
        <translation>웨이블릿</translation>
    </message>
    <message>
        <source>Keep the input&apos;s low frequencies (colours), the output&apos;s detail</source>
        <translation>입력의 저주파(색상)와 출력의 디테일을 유지합니다</translation>
    </message>
    <message>
        <source>AdaIN</source>
        <translation>AdaIN</translation>
    </message>
    <message>
        <source>Match each channel&apos;s mean and spread to the input</source>
        <translation>각 채널의 평균과 분산을 입력에 맞춥니다</translation>
    </message>
    <message>
        <source>Colour fix:</source>
        <translation>색상 보정:</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>장치:</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>고급</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Process size:</source>
        <translation>처리 크기:</translation>
    </message>
    <message>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>Tile size:</source>
        <translation>타일 크기:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>bf16 where the hardware computes it natively, else fp32</source>
        <translation>하드웨어가 기본 지원하면 bf16, 아니면 fp32</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>정밀도:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>시드:</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>실행(&amp;R)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>%1 is not downloaded yet.</source>
        <translation>%1은(는) 아직 다운로드하지 않았습니다.</translation>
    </message>
    <message>
        <source>%1 needs %2, which is not downloaded yet.</source>
        <translation>%1에는 아직 다운로드하지 않은 %2이(가) 필요합니다.</translation>
    </message>
    <message>
        <source>Download the missing model first</source>
        <translation>먼저 없는 모델을 다운로드하세요</translation>
    </message>
    <message>
        <source>total %1×</source>
        <translation>총 %1×</translation>
    </message>
    <message>
        <source>model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>prompt mode</source>
        <translation>프롬프트 모드</translation>
    </message>
    <message>
        <source>recursion</source>
        <translation>재귀</translation>
    </message>
    <message>
        <source>colour fix</source>
        <translation>색 보정</translation>
    </message>
    <message>
        <source>device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>정밀도</translation>
    </message>
</context>
<context>
    <name>coz::ui::StepStrip</name>
    <message>
        <source>The starting picture (×1) around your zoom point, %1 × %2 px. Click to edit the zoom point.</source>
        <translation>확대 지점 주변의 시작 이미지(×1), %1 × %2 px. 클릭하여 확대 지점을 편집하세요.</translation>
    </message>
    <message>
        <source>Step %1 of %2, magnification %3, %4 ms
Prompt: %5</source>
        <translation>단계 %1/%2, 배율 %3, %4 ms
프롬프트: %5</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(없음)</translation>
    </message>
    <message>
        <source>after</source>
        <translation>이후</translation>
    </message>
    <message>
        <source>before</source>
        <translation>이전</translation>
    </message>
</context>
</TS>

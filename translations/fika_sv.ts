<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="17"/>
        <source>%1 M parameters</source>
        <translation>%1 M parametrar</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="18"/>
        <source>%1 parameters</source>
        <translation>%1 parametrar</translation>
    </message>
</context>
<context>
    <name>fika</name>
    <message>
        <location filename="../ui/ui_format.h" line="24"/>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
</context>
<context>
    <name>fika::ui::BlockChain</name>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="27"/>
        <location filename="../ui/modeling/block_chain.cpp" line="32"/>
        <location filename="../ui/modeling/block_chain.cpp" line="33"/>
        <source>Trainable</source>
        <translation>Tränbar</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="29"/>
        <source>Off: the encoder&apos;s weights stay as loaded and only the two Dense blocks learn (much faster, usually less accurate).</source>
        <translation>Av: kodarens vikter stannar som de laddades och bara de två Dense-blocken lär sig (mycket snabbare, oftast mindre träffsäkert).</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="37"/>
        <source>The Dense blocks always learn: they adapt BERT to your classes.</source>
        <translation>Dense-blocken lär sig alltid: de anpassar BERT till dina klasser.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="39"/>
        <source>Input</source>
        <translation>Indata</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="40"/>
        <source>BERT encoder</source>
        <translation>BERT-kodare</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="41"/>
        <source>Dense (pooler)</source>
        <translation>Dense (pooler)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="42"/>
        <source>Dense (classifier)</source>
        <translation>Dense (klassificerare)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="43"/>
        <source>Target</source>
        <translation>Mål</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="80"/>
        <source>pretrained</source>
        <translation>förtränade</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="80"/>
        <source>random</source>
        <translation>slumpade</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="81"/>
        <source>&lt;i&gt;%1&lt;/i&gt;&lt;br&gt;%2 tokens</source>
        <translation>&lt;i&gt;%1&lt;/i&gt;&lt;br&gt;%2 token</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="82"/>
        <source>%1 layers, hidden %2, %3 heads&lt;br&gt;%4 weights&lt;br&gt;%5</source>
        <translation>%1 lager, dold storlek %2, %3 huvuden&lt;br&gt;%4 vikter&lt;br&gt;%5</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="87"/>
        <source>%1 → %1, tanh&lt;br&gt;%2 weights&lt;br&gt;%3</source>
        <translation>%1 → %1, tanh&lt;br&gt;%2 vikter&lt;br&gt;%3</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="88"/>
        <source>%1 → %2 classes&lt;br&gt;untrained&lt;br&gt;%3</source>
        <translation>%1 → %2 klasser&lt;br&gt;otränad&lt;br&gt;%3</translation>
    </message>
    <message>
        <location filename="../ui/modeling/block_chain.cpp" line="92"/>
        <source>&lt;i&gt;%1&lt;/i&gt;&lt;br&gt;softmax</source>
        <translation>&lt;i&gt;%1&lt;/i&gt;&lt;br&gt;softmax</translation>
    </message>
</context>
<context>
    <name>fika::ui::ConfusionMatrixPlot</name>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="63"/>
        <source>Confusion matrix</source>
        <translation>Förväxlingsmatris</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="64"/>
        <source>Arrow keys choose a cell and list its examples</source>
        <translation>Piltangenterna väljer en cell och listar dess exempel</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="82"/>
        <source>predicted</source>
        <translation>förutsagd</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="83"/>
        <source>true</source>
        <translation>sann</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="93"/>
        <source>precision</source>
        <translation>precision</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="101"/>
        <source>recall</source>
        <translation>täckning</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="207"/>
        <source>True %1, predicted %2: %3 examples, %4 of the %1 examples</source>
        <translation>Sann %1, förutsagd %2: %3 exempel, %4 av exemplen med %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="212"/>
        <source>
Recall of %1: %2, precision: %3</source>
        <translation>
Täckning för %1: %2, precision: %3</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="214"/>
        <source>
Click to list them.</source>
        <translation>
Klicka för att lista dem.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="224"/>
        <source>Recall of %1: %2
%3 of the %4 examples labelled %1 were predicted %1.</source>
        <translation>Täckning för %1: %2
%3 av de %4 exempel som är märkta %1 förutsades som %1.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/confusion_matrix_plot.cpp" line="231"/>
        <source>Precision of %1: %2
%3 of the %4 examples predicted %1 are labelled %1.</source>
        <translation>Precision för %1: %2
%3 av de %4 exempel som förutsades som %1 är märkta %1.</translation>
    </message>
</context>
<context>
    <name>fika::ui::DataLibraryDialog</name>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="28"/>
        <source>IMDB Large Movie Review Dataset (Maas et al. 2011), about 84 MB</source>
        <translation>IMDB Large Movie Review Dataset (Maas m.fl. 2011), cirka 84 MB</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="29"/>
        <source>BERT base, English, uncased (110 M parameters)</source>
        <translation>BERT base, engelska, gemener (110 M parametrar)</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="30"/>
        <source>BERT base, 104 languages, cased (178 M parameters)</source>
        <translation>BERT base, 104 språk, skiftlägeskänslig (178 M parametrar)</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="31"/>
        <source>BERT tiny, English, uncased (4.4 M parameters)</source>
        <translation>BERT tiny, engelska, gemener (4,4 M parametrar)</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="32"/>
        <source>BERT mini, English, uncased (11 M parameters)</source>
        <translation>BERT mini, engelska, gemener (11 M parametrar)</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="33"/>
        <source>BERT small, English, uncased (29 M parameters)</source>
        <translation>BERT small, engelska, gemener (29 M parametrar)</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="34"/>
        <source>BERT medium, English, uncased (41 M parameters)</source>
        <translation>BERT medium, engelska, gemener (41 M parametrar)</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="54"/>
        <source>Data library</source>
        <translation>Databibliotek</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="57"/>
        <source>Datasets and pretrained models to download into %1.</source>
        <translation>Datamängder och förtränade modeller att ladda ner till %1.</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="70"/>
        <source>&amp;Download</source>
        <translation>&amp;Ladda ner</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="71"/>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppa</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="73"/>
        <source>Use a &amp;local folder…</source>
        <translation>&amp;Använd en lokal mapp…</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="74"/>
        <source>Close</source>
        <translation>Stäng</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="111"/>
        <source>Dataset: %1</source>
        <translation>Datamängd: %1</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="118"/>
        <source>Model: %1%2</source>
        <translation>Modell: %1%2</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="118"/>
        <source> — downloaded</source>
        <translation> — nedladdad</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="136"/>
        <source>Downloading %1…</source>
        <translation>Laddar ner %1…</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="177"/>
        <source>Ready in %1</source>
        <translation>Klar i %1</translation>
    </message>
    <message>
        <location filename="../ui/library/data_library_dialog.cpp" line="188"/>
        <source>A dataset folder (one sub-folder per class) or a Hugging Face model folder</source>
        <translation>En datamängdsmapp (en undermapp per klass) eller en Hugging Face-modellmapp</translation>
    </message>
</context>
<context>
    <name>fika::ui::DatasetTableModel</name>
    <message>
        <location filename="../ui/datasets/dataset_table_model.cpp" line="60"/>
        <source>text</source>
        <translation>text</translation>
    </message>
    <message>
        <location filename="../ui/datasets/dataset_table_model.cpp" line="61"/>
        <source>label</source>
        <translation>etikett</translation>
    </message>
    <message>
        <location filename="../ui/datasets/dataset_table_model.cpp" line="63"/>
        <source>Line</source>
        <translation>Rad</translation>
    </message>
    <message>
        <location filename="../ui/datasets/dataset_table_model.cpp" line="63"/>
        <source>File</source>
        <translation>Fil</translation>
    </message>
    <message>
        <location filename="../ui/datasets/dataset_table_model.cpp" line="64"/>
        <source>%1 (text)</source>
        <translation>%1 (text)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/dataset_table_model.cpp" line="65"/>
        <source>%1 (categorical)</source>
        <translation>%1 (kategorisk)</translation>
    </message>
</context>
<context>
    <name>fika::ui::DatasetsView</name>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="164"/>
        <source>Import CSV…</source>
        <translation>Importera CSV…</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="165"/>
        <source>Import folder…</source>
        <translation>Importera mapp…</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="166"/>
        <source>Save version…</source>
        <translation>Spara version…</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="168"/>
        <source>Keep this dataset with its encoding and subsets, to train on it</source>
        <translation>Behåll datamängden med dess kodning och delmängder för att träna på den</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="169"/>
        <source>Use in new experiment…</source>
        <translation>Använd i nytt experiment…</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="247"/>
        <source>Head (keep the start)</source>
        <translation>Huvud (behåll början)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="248"/>
        <source>Tail (keep the end)</source>
        <translation>Svans (behåll slutet)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="262"/>
        <source>Language model</source>
        <translation>Språkmodell</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="254"/>
        <source>English BERT uncased</source>
        <translation>Engelsk BERT uncased</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="256"/>
        <source>Multilingual BERT cased</source>
        <translation>Flerspråkig BERT cased</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="260"/>
        <source>Download bert-base-multilingual-cased in the data library first</source>
        <translation>Ladda först ner bert-base-multilingual-cased i databiblioteket</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="263"/>
        <source>Sequence length</source>
        <translation>Sekvenslängd</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="264"/>
        <source>Truncation</source>
        <translation>Avkortning</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="289"/>
        <source>Training</source>
        <translation>Träning</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="290"/>
        <source>Validation</source>
        <translation>Validering</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="291"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="292"/>
        <source>Seed</source>
        <translation>Frö</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="319"/>
        <source>Save dataset version</source>
        <translation>Spara datamängdsversion</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="319"/>
        <source>Version name:</source>
        <translation>Versionens namn:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="367"/>
        <source>Import CSV</source>
        <translation>Importera CSV</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="395"/>
        <source>Import folder (one sub-folder per class)</source>
        <translation>Importera mapp (en undermapp per klass)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="428"/>
        <source>Importing %1…</source>
        <translation>Importerar %1…</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="435"/>
        <source>Import failed: %1</source>
        <translation>Importen misslyckades: %1</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="437"/>
        <source>The table still shows the previous import, %1; Save version and Use in new experiment use that one.</source>
        <translation>Tabellen visar fortfarande den förra importen, %1; Spara version och Använd i nytt experiment använder den.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="191"/>
        <source>Drop a CSV file (a text column and a label column) or a folder with one sub-folder per class here.</source>
        <translation>Släpp en CSV-fil (en textkolumn och en etikettkolumn) eller en mapp med en undermapp per klass här.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="149"/>
        <source>%1 training, %2 validation, %3 test examples; sequence length %4, truncation %5; classes %6.</source>
        <translation>%1 tränings-, %2 validerings- och %3 testexempel; sekvenslängd %4, avkortning %5; klasser %6.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="177"/>
        <source>Split:</source>
        <translation>Delmängd:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="179"/>
        <source>The folder holds several splits (train/, test/): the one to import</source>
        <translation>Mappen innehåller flera delar (train/, test/): den som ska importeras</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="207"/>
        <source>Saved versi&amp;ons:</source>
        <translation>Sparade versi&amp;oner:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="212"/>
        <source>The dataset versions saved in this project: choose one to see it</source>
        <translation>Datamängdsversionerna som sparats i projektet: välj en för att se den</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="249"/>
        <source>Head + tail</source>
        <translation>Början + slut</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="250"/>
        <source>Keep the first tokens</source>
        <translation>Behåll de första token</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="251"/>
        <source>Keep the last tokens</source>
        <translation>Behåll de sista token</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="252"/>
        <source>Keep the first 128 and the last tokens</source>
        <translation>Behåll de första 128 och de sista token</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="281"/>
        <source>Stratified</source>
        <translation>Stratifierad</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="282"/>
        <source>Stratified: the same class shares in every subset</source>
        <translation>Stratifierad: samma klassandelar i varje delmängd</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="325"/>
        <source>Replace dataset version?</source>
        <translation>Ersätta datamängdsversionen?</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="326"/>
        <source>A dataset version named “%1” exists. Replace it?</source>
        <translation>Det finns redan en datamängdsversion som heter ”%1”. Ersätta den?</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="368"/>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV-filer (*.csv *.tsv *.txt);;Alla filer (*)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="465"/>
        <source>and %1 more</source>
        <translation>och %1 till</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="466"/>
        <source>%1 — %2 rows imported, %3 skipped. Classes (balance %4): %5</source>
        <translation>%1 — %2 rader importerade, %3 överhoppade. Klasser (balans %4): %5</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="472"/>
        <source>Fields separated by a %1 (detected).</source>
        <translation>Fälten avgränsas med %1 (upptäckt).</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="478"/>
        <source>Row skipped: %1</source>
        <translation>Rad utelämnad: %1</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="482"/>
        <source>Warning: the label column %1 has %2 classes in %3 rows, %4 of them with a single example: a model cannot learn a class it sees once. Is %1 the column to predict?</source>
        <translation>Varning: etikettkolumnen %1 har %2 klasser på %3 rader, varav %4 med ett enda exempel: en modell kan inte lära sig en klass som den ser en gång. Är %1 kolumnen som ska förutsägas?</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="493"/>
        <source>%1: text</source>
        <translation>%1: text</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="494"/>
        <source>%1: categorical, %2 classes</source>
        <translation>%1: kategorisk, %2 klasser</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="495"/>
        <source>Encoding of the input column: sequence length, language model, truncation</source>
        <translation>Indatakolumnens kodning: sekvenslängd, språkmodell, avkortning</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="496"/>
        <source>Encoding of the target column</source>
        <translation>Målkolumnens kodning</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="503"/>
        <location filename="../ui/datasets/datasets_view.cpp" line="683"/>
        <source>Saved version %1 of %2. %3</source>
        <translation>Sparad version %1 av %2. %3</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="506"/>
        <source>The source has changed since this version was saved: the table shows it as it is now.</source>
        <translation>Källan har ändrats sedan versionen sparades: tabellen visar den som den är nu.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="551"/>
        <source>%1 training, %2 validation, %3 test examples</source>
        <translation>%1 tränings-, %2 validerings-, %3 testexempel</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="562"/>
        <source>Saving failed: %1</source>
        <translation>Det gick inte att spara: %1</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="566"/>
        <source>nothing imported yet</source>
        <translation>inget importerat än</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="577"/>
        <source>The %1 subset would be empty (%2 examples in all): raise its share under Training/Validation, or import more rows. Training needs examples to learn from and others to measure itself on.</source>
        <translation>Delmängden för %1 skulle bli tom (%2 exempel totalt): höj dess andel under Träning/Validering, eller importera fler rader. Träningen behöver exempel att lära sig av och andra att mäta sig mot.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="579"/>
        <source>training</source>
        <translation>träning</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="579"/>
        <source>validation</source>
        <translation>validering</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="584"/>
        <source>Saved dataset version %1</source>
        <translation>Sparade datamängdsversionen %1</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="645"/>
        <source>none saved yet</source>
        <translation>ingen sparad än</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="645"/>
        <source>%1 saved, choose one…</source>
        <translation>%1 sparade, välj en…</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="651"/>
        <source>Saved dataset versions in this project: %1. Choose one under Saved versions to see it, or import a CSV file or a folder.</source>
        <translation>Sparade datamängdsversioner i projektet: %1. Välj en under Sparade versioner för att se den, eller importera en CSV-fil eller en mapp.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="677"/>
        <source>The saved version cannot be read: %1</source>
        <translation>Den sparade versionen kan inte läsas: %1</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="685"/>
        <source>Its source is no longer there, so the table cannot show its rows.</source>
        <translation>Dess källa finns inte längre, så tabellen kan inte visa dess rader.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="719"/>
        <source>%1/ (%2 files)</source>
        <translation>%1/ (%2 filer)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="727"/>
        <source>Imported %1/ (%2 files).</source>
        <translation>Importerade %1/ (%2 filer).</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="729"/>
        <source>Not imported: %1; choose it under Split to import it instead.</source>
        <translation>Inte importerad: %1; välj den under Delmängd för att importera den i stället.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="805"/>
        <source>Encoding of %1</source>
        <translation>Kodning av %1</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="809"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="810"/>
        <source>Categorical</source>
        <translation>Kategorisk</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="813"/>
        <source>The input of a text classifier is text</source>
        <translation>Indata till en textklassificerare är text</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="813"/>
        <source>The target of a classifier is categorical</source>
        <translation>Målet för en klassificerare är kategoriskt</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="814"/>
        <source>Type:</source>
        <translation>Typ:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="834"/>
        <source>%1 cuts %2 of the texts</source>
        <translation>%1 kortar %2 av texterna</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="838"/>
        <source>&amp;Sequence length:</source>
        <translation>Se&amp;kvenslängd:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="840"/>
        <source>&amp;Language model:</source>
        <translation>&amp;Språkmodell:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="841"/>
        <source>&amp;Truncation:</source>
        <translation>&amp;Avkortning:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/datasets_view.cpp" line="849"/>
        <source>Classes:</source>
        <translation>Klasser:</translation>
    </message>
</context>
<context>
    <name>fika::ui::DeploymentView</name>
    <message>
        <location filename="../ui/deployment/deployment_view.cpp" line="20"/>
        <source>&lt;h2&gt;Deployment&lt;/h2&gt;Serve a checkpoint on a local HTTP API, and try it on your own text.</source>
        <translation>&lt;h2&gt;Driftsättning&lt;/h2&gt;Servera en kontrollpunkt via ett lokalt HTTP-API och prova den på din egen text.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/deployment_view.cpp" line="29"/>
        <source>Deployment</source>
        <translation>Driftsättning</translation>
    </message>
    <message>
        <location filename="../ui/deployment/deployment_view.cpp" line="33"/>
        <source>Tester</source>
        <translation>Testare</translation>
    </message>
</context>
<context>
    <name>fika::ui::ErrorText</name>
    <message>
        <location filename="../ui/error_text.h" line="26"/>
        <source>The file or folder does not exist.</source>
        <translation>Filen eller mappen finns inte.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="27"/>
        <source>A file could not be read or written.</source>
        <translation>En fil kunde inte läsas eller skrivas.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="28"/>
        <source>The file is empty.</source>
        <translation>Filen är tom.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="29"/>
        <source>The text&apos;s character encoding cannot be read.</source>
        <translation>Textens teckenkodning går inte att läsa.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="30"/>
        <source>The CSV file is malformed.</source>
        <translation>CSV-filen är felaktigt uppbyggd.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="31"/>
        <source>A column is missing.</source>
        <translation>En kolumn saknas.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="32"/>
        <source>Two columns have the same name.</source>
        <translation>Två kolumner har samma namn.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="33"/>
        <source>There are no usable rows.</source>
        <translation>Det finns inga användbara rader.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="34"/>
        <source>At least two labels are needed.</source>
        <translation>Minst två etiketter behövs.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="35"/>
        <source>A value is not allowed here.</source>
        <translation>Ett värde är inte tillåtet här.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="36"/>
        <source>The vocabulary cannot be used.</source>
        <translation>Vokabulären går inte att använda.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="37"/>
        <source>The configuration file cannot be read.</source>
        <translation>Konfigurationsfilen går inte att läsa.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="38"/>
        <source>Stopped.</source>
        <translation>Stoppat.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="39"/>
        <source>The JSON file cannot be read.</source>
        <translation>JSON-filen går inte att läsa.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="40"/>
        <source>Permission denied: choose another folder or change its permissions.</source>
        <translation>Åtkomst nekad: välj en annan mapp eller ändra dess behörigheter.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="41"/>
        <source>The disk is full: free some space and try again.</source>
        <translation>Disken är full: frigör utrymme och försök igen.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="42"/>
        <source>A file is needed here, not a folder.</source>
        <translation>Här behövs en fil, inte en mapp.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="43"/>
        <source>A folder is needed here, not a file.</source>
        <translation>Här behövs en mapp, inte en fil.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="44"/>
        <source>Something is already there: choose another name, or open it.</source>
        <translation>Något finns redan där: välj ett annat namn eller öppna det.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="46"/>
        <source>Out of memory: use smaller batches, shorter sequences or a smaller model.</source>
        <translation>Minnet räcker inte: använd mindre batchar, kortare sekvenser eller en mindre modell.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="47"/>
        <source>The checkpoint is damaged or does not fit the model.</source>
        <translation>Kontrollpunkten är skadad eller passar inte modellen.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="48"/>
        <source>A setting has a value that cannot be used.</source>
        <translation>En inställning har ett värde som inte går att använda.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="49"/>
        <source>The network connection failed: check it and try again.</source>
        <translation>Nätverksanslutningen misslyckades: kontrollera den och försök igen.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="50"/>
        <source>The download is damaged (its checksum differs): download it again.</source>
        <translation>Nedladdningen är skadad (kontrollsumman stämmer inte): ladda ner den igen.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="51"/>
        <source>The archive is damaged or unsafe: download it again.</source>
        <translation>Arkivet är skadat eller osäkert: ladda ner det igen.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="52"/>
        <source>The server cannot listen there: choose another port.</source>
        <translation>Servern kan inte lyssna där: välj en annan port.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="54"/>
        <source>Training diverged (the loss is no longer a number): lower the learning rate.</source>
        <translation>Träningen divergerade (förlusten är inte längre ett tal): sänk inlärningstakten.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="56"/>
        <source>Something went wrong.</source>
        <translation>Något gick fel.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="65"/>
        <source>file %1</source>
        <translation>fil %1</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="67"/>
        <source>line %1</source>
        <translation>rad %1</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="69"/>
        <source>key %1</source>
        <translation>nyckel %1</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="81"/>
        <source>The file was not UTF-8 and was converted.</source>
        <translation>Filen var inte UTF-8 och har konverterats.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="83"/>
        <source>Some rows had problems and were left out.</source>
        <translation>Några rader hade problem och utelämnades.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="85"/>
        <source>The label column looks like free text, not classes.</source>
        <translation>Etikettkolumnen ser ut som fritext, inte klasser.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="87"/>
        <source>A file could not be written; the work goes on without it.</source>
        <translation>En fil kunde inte skrivas; arbetet fortsätter utan den.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="89"/>
        <source>The optimizer starts anew: the resumed run differs a little.</source>
        <translation>Optimeraren börjar om: den återupptagna körningen skiljer sig något.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="91"/>
        <source>Some labels differ only in letter case and count as separate classes.</source>
        <translation>Några etiketter skiljer sig bara i versaler och gemener och räknas som olika klasser.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="93"/>
        <source>Warning.</source>
        <translation>Varning.</translation>
    </message>
    <message>
        <location filename="../ui/error_text.h" line="98"/>
        <source>Warning: %1 %2</source>
        <translation>Varning: %1 %2</translation>
    </message>
</context>
<context>
    <name>fika::ui::EvaluationView</name>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="101"/>
        <source>Tick experiments to compare their curves; select one for its details</source>
        <translation>Kryssa i experiment för att jämföra deras kurvor; välj ett för detaljer</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="122"/>
        <source>The checkpoint whose confusion matrix and predictions are shown</source>
        <translation>Kontrollpunkten vars förväxlingsmatris och förutsägelser visas</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="129"/>
        <source>Export chart…</source>
        <translation>Exportera diagram…</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="130"/>
        <source>Export predictions…</source>
        <translation>Exportera förutsägelser…</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="131"/>
        <source>Export checkpoint…</source>
        <translation>Exportera kontrollpunkt…</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="474"/>
        <source>A folder that Hugging Face transformers loads as it is</source>
        <translation>En mapp som Hugging Face transformers läser in som den är</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="132"/>
        <source>Checkpoint:</source>
        <translation>Kontrollpunkt:</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="400"/>
        <source>at the best epoch (%1 of %2)</source>
        <translation>vid bästa epoken (%1 av %2)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="402"/>
        <source>for &lt;i&gt;last&lt;/i&gt; (epoch %1 of %2)</source>
        <translation>för &lt;i&gt;last&lt;/i&gt; (epok %1 av %2)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="404"/>
        <source>at epoch %1 of %2</source>
        <translation>vid epok %1 av %2</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="411"/>
        <source>&lt;b&gt;%1&lt;/b&gt;: accuracy &lt;b&gt;%2&lt;/b&gt;, macro-F1 %3%4 %5; %6 elapsed, %7 examples/s</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: träffsäkerhet &lt;b&gt;%2&lt;/b&gt;, makro-F1 %3%4 %5; %6 förflutet, %7 exempel/s</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="615"/>
        <source>Click a cell of the confusion matrix to list its validation examples.</source>
        <translation>Klicka på en cell i förväxlingsmatrisen för att lista dess valideringsexempel.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="152"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="152"/>
        <source>Predicted</source>
        <translation>Förutsagd</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="152"/>
        <source>Probability</source>
        <translation>Sannolikhet</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="173"/>
        <source>Confusion matrix</source>
        <translation>Förväxlingsmatris</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="174"/>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="199"/>
        <source>Misclassified reviews</source>
        <translation>Felklassade recensioner</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="199"/>
        <source>Misclassified reviews (%1)</source>
        <translation>Felklassade recensioner (%1)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="296"/>
        <source>Lines of metrics.jsonl left out, as they cannot be read: %1. The first: %2</source>
        <translation>Rader i metrics.jsonl utelämnade eftersom de inte går att läsa: %1. Den första: %2</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="367"/>
        <source>&lt;h2&gt;Evaluation&lt;/h2&gt;No experiment yet. Train one in the Modeling view.</source>
        <translation>&lt;h2&gt;Utvärdering&lt;/h2&gt;Inga experiment än. Träna ett i vyn Modellering.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="373"/>
        <source>&lt;b&gt;%1&lt;/b&gt;: no epoch has ended yet.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: ingen epok har avslutats än.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="414"/>
        <source>, ROC AUC %1</source>
        <translation>, ROC AUC %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="450"/>
        <source>best</source>
        <translation>bästa</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="450"/>
        <source>last</source>
        <translation>senaste</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="456"/>
        <source>epoch %1</source>
        <translation>epok %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="470"/>
        <source>The validation subset&apos;s predictions as CSV, with each class&apos;s probability</source>
        <translation>Valideringsdelens förutsägelser som CSV, med varje klass sannolikhet</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="471"/>
        <source>Once the checkpoint&apos;s validation predictions are in</source>
        <translation>När kontrollpunktens förutsägelser för valideringsdelen finns</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="472"/>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="475"/>
        <source>No checkpoint yet: train the experiment in the Modeling view</source>
        <translation>Ingen kontrollpunkt än: träna experimentet i vyn Modellering</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="496"/>
        <source>Loading the checkpoint…</source>
        <translation>Läser in kontrollpunkten…</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="498"/>
        <source>Predicting the validation subset with %1</source>
        <translation>Förutsäger valideringsdelmängden med %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="543"/>
        <source>%p % · about %1 left</source>
        <translation>%p % · cirka %1 kvar</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="546"/>
        <source>%p %</source>
        <translation>%p %</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="567"/>
        <source>Evaluation failed: %1</source>
        <translation>Utvärderingen misslyckades: %1</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="578"/>
        <source>%1: accuracy %2 on %3 validation examples</source>
        <translation>%1: träffsäkerhet %2 på %3 valideringsexempel</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="623"/>
        <source>The examples labelled %1, predicted %2 cannot be listed: the checkpoint&apos;s predictions failed.</source>
        <translation>Exemplen märkta %1, förutsagda %2 kan inte listas: kontrollpunktens förutsägelser misslyckades.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="625"/>
        <source>The examples labelled %1, predicted %2 are listed once the checkpoint&apos;s predictions are computed.</source>
        <translation>Exemplen märkta %1, förutsagda %2 listas när kontrollpunktens förutsägelser är beräknade.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="646"/>
        <source>%1 examples labelled %2, predicted %3:</source>
        <translation>%1 exempel märkta %2, förutsagda %3:</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="653"/>
        <source>No predictions yet: choose a checkpoint and wait for its evaluation.</source>
        <translation>Inga förutsägelser än: välj en kontrollpunkt och vänta på dess utvärdering.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="671"/>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="737"/>
        <source>%1 cannot be written.</source>
        <translation>%1 kan inte skrivas.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="682"/>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="756"/>
        <source>This experiment has no checkpoint yet.</source>
        <translation>Experimentet har ingen kontrollpunkt än.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="690"/>
        <source>%1 is a training checkpoint (it holds %2): an export would replace it without its training state. Choose a new or empty folder.</source>
        <translation>%1 är en träningskontrollpunkt (den innehåller %2): en export skulle ersätta den utan dess träningstillstånd. Välj en ny eller tom mapp.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="699"/>
        <source>%1 is a file: Fika exports into a new or empty folder; choose another name.</source>
        <translation>%1 är en fil: Fika exporterar till en ny eller tom mapp; välj ett annat namn.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="701"/>
        <source>%1 is not empty (it holds %2): Fika exports only into an empty or new folder; choose another.</source>
        <translation>%1 är inte tom (den innehåller %2): Fika exporterar bara till en tom eller ny mapp; välj en annan.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="704"/>
        <source>%1 is not empty: Fika exports only into an empty or new folder; choose another.</source>
        <translation>%1 är inte tom: Fika exporterar bara till en tom eller ny mapp; välj en annan.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="725"/>
        <source>Export chart</source>
        <translation>Exportera diagram</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="726"/>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF (*.pdf)</source>
        <translation>PNG-bild (*.png);;SVG-teckning (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="737"/>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="746"/>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="756"/>
        <source>Export failed</source>
        <translation>Exporten misslyckades</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="742"/>
        <source>Export predictions</source>
        <translation>Exportera förutsägelser</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="743"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="764"/>
        <source>Export checkpoint</source>
        <translation>Exportera kontrollpunkt</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="766"/>
        <source>Hugging Face transformers loads the folder as it is. A new folder is created; an existing one must be empty.</source>
        <translation>Hugging Face transformers läser in mappen som den är. En ny mapp skapas; en befintlig måste vara tom.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="774"/>
        <source>Browse…</source>
        <translation>Bläddra…</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="775"/>
        <source>Choose the folder to export into; the new folder&apos;s name stays as typed</source>
        <translation>Välj mappen att exportera till; den nya mappens namn förblir som det skrevs</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="776"/>
        <source>Folder:</source>
        <translation>Mapp:</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="788"/>
        <source>Export</source>
        <translation>Exportera</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="799"/>
        <source>Export into which folder?</source>
        <translation>Exportera till vilken mapp?</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="808"/>
        <source>Give the folder a name.</source>
        <translation>Ge mappen ett namn.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/evaluation_view.cpp" line="821"/>
        <source>Exported to %1 (Hugging Face format)</source>
        <translation>Exporterad till %1 (Hugging Face-format)</translation>
    </message>
</context>
<context>
    <name>fika::ui::ExperimentWizard</name>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="53"/>
        <source>New experiment</source>
        <translation>Nytt experiment</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="66"/>
        <source>Dataset &amp;version:</source>
        <translation>Datamängds&amp;version:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="68"/>
        <source>1. Dataset</source>
        <translation>1. Datamängd</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="74"/>
        <source>BERT English uncased</source>
        <translation>BERT engelska uncased</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="75"/>
        <source>Pretrained BERT encoder → pooler Dense (pretrained) → Dense (untrained) → target</source>
        <translation>Förtränad BERT-kodare → pooler-Dense (förtränad) → Dense (otränad) → mål</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="78"/>
        <source>The snippet reads the input feature&apos;s tokens, runs the BERT encoder, its pooler Dense block and a new Dense block with one output per class.</source>
        <translation>Snutten läser indataegenskapens token och kör BERT-kodaren, dess pooler-Dense-block och ett nytt Dense-block med en utgång per klass.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="82"/>
        <source>&amp;Snippet:</source>
        <translation>Sn&amp;utt:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="83"/>
        <source>&amp;Input feature:</source>
        <translation>&amp;Indataegenskap:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="84"/>
        <source>&amp;Target feature:</source>
        <translation>&amp;Målegenskap:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="86"/>
        <source>2. Snippet</source>
        <translation>2. Snutt</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="91"/>
        <source>&amp;Pretrained: a Hugging Face folder (config.json, vocab.txt, model.safetensors)</source>
        <translation>&amp;Förtränad: en Hugging Face-mapp (config.json, vocab.txt, model.safetensors)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="100"/>
        <source>e.g. ~/.cache/fika/models/bert-base-uncased</source>
        <translation>t.ex. ~/.cache/fika/models/bert-base-uncased</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="103"/>
        <source>Data &amp;library…</source>
        <translation>Data&amp;bibliotek…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="104"/>
        <source>Download a pretrained BERT from the Hugging Face hub</source>
        <translation>Ladda ner en förtränad BERT från Hugging Face-hubben</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="112"/>
        <source>Models downloaded with the data library</source>
        <translation>Modeller nedladdade med databiblioteket</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="125"/>
        <source>&amp;Random: train a BERT of this shape from scratch</source>
        <translation>Slu&amp;mpad: träna en BERT med denna form från början</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="142"/>
        <source>Layers:</source>
        <translation>Lager:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="143"/>
        <source>Hidden size:</source>
        <translation>Dold storlek:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="144"/>
        <source>Attention heads:</source>
        <translation>Uppmärksamhetshuvuden:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="145"/>
        <source>Intermediate size:</source>
        <translation>Mellanstorlek:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="146"/>
        <source>&amp;Weights trainable (all blocks)</source>
        <translation>&amp;Vikterna tränbara (alla block)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="155"/>
        <source>3. Initialize weights</source>
        <translation>3. Initiera vikter</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="160"/>
        <source>experiment</source>
        <translation>experiment</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="163"/>
        <source>Tutorial (batch 6, 2 epochs, learning rate 0.000001)</source>
        <translation>Handledning (batch 6, 2 epoker, inlärningstakt 0,000001)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="164"/>
        <source>Recommended (learning rate 2e-5, warm-up and linear decay)</source>
        <translation>Rekommenderad (inlärningstakt 2e-5, uppvärmning och linjär avklingning)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="165"/>
        <source>From scratch (random weights: batch 32, 4 epochs, learning rate 5e-4)</source>
        <translation>Från grunden (slumpvikter: batch 32, 4 epoker, inlärningstakt 5e-4)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="170"/>
        <source>&amp;Name:</source>
        <translation>&amp;Namn:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="171"/>
        <source>Settings p&amp;reset:</source>
        <translation>Inställnings&amp;mall:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="173"/>
        <source>4. Create</source>
        <translation>4. Skapa</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="176"/>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Tillbaka</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="177"/>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Nästa &gt;</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="178"/>
        <source>&amp;Create</source>
        <translation>&amp;Skapa</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="180"/>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="269"/>
        <source>Downloaded models…</source>
        <translation>Nedladdade modeller…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="284"/>
        <source>No dataset version yet. In the Datasets view, import a CSV and click Save version.</source>
        <translation>Ingen datamängdsversion än. Importera en CSV i vyn Datamängder och klicka på Spara version.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="324"/>
        <source>%1
%2 training, %3 validation, %4 test examples; classes: %5; sequence length %6</source>
        <translation>%1
%2 tränings-, %3 validerings-, %4 testexempel; klasser: %5; sekvenslängd %6</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="340"/>
        <source>Hugging Face model folder</source>
        <translation>Hugging Face-modellmapp</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="373"/>
        <source>Choose a dataset version (tab 1). Save one in the Datasets view first.</source>
        <translation>Välj en datamängdsversion (flik 1). Spara först en i vyn Datamängder.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="375"/>
        <source>Give the experiment a name (tab 4).</source>
        <translation>Ge experimentet ett namn (flik 4).</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="384"/>
        <source>The weights folder must hold a Hugging Face config.json (tab 3), or choose Random.</source>
        <translation>Viktmappen måste innehålla en Hugging Face config.json (flik 3), eller välj Slumpad.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="389"/>
        <source>The hidden size must be a multiple of the number of attention heads (tab 3).</source>
        <translation>Den dolda storleken måste vara en multipel av antalet uppmärksamhetshuvuden (flik 3).</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="407"/>
        <source>✓ BERT, %1 layers, hidden %2</source>
        <translation>✓ BERT, %1 lager, dold storlek %2</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="419"/>
        <source>random, %1 layers, hidden %2, %3 heads, intermediate %4</source>
        <translation>slumpmässig, %1 lager, dold storlek %2, %3 huvuden, mellanlager %4</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="424"/>
        <source>Creates &lt;b&gt;%1&lt;/b&gt;: %2 → BERT (%3%5) → Dense → Dense → %4, batch %6, %7 epochs, learning rate %8.</source>
        <translation>Skapar &lt;b&gt;%1&lt;/b&gt;: %2 → BERT (%3%5) → Dense → Dense → %4, batch %6, %7 epoker, inlärningstakt %8.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="427"/>
        <source>, frozen</source>
        <translation>, fryst</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="418"/>
        <source>pretrained</source>
        <translation>förtränade</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="101"/>
        <source>Br&amp;owse…</source>
        <translation>Bläddr&amp;a…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="438"/>
        <source>Experiment incomplete</source>
        <translation>Experimentet är ofullständigt</translation>
    </message>
    <message>
        <location filename="../ui/modeling/experiment_wizard.cpp" line="442"/>
        <source>Experiment not created</source>
        <translation>Experimentet skapades inte</translation>
    </message>
</context>
<context>
    <name>fika::ui::ExplanationView</name>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="57"/>
        <source>“%1”: attribution %2</source>
        <translation>”%1”: bidrag %2</translation>
    </message>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="58"/>
        <source>“%1”: attribution %2, %3 % of logit − baseline logit (%4)</source>
        <translation>”%1”: bidrag %2, %3 % av logit − baslinjens logit (%4)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="81"/>
        <source>not seen by the model</source>
        <translation>inte sett av modellen</translation>
    </message>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="99"/>
        <source>The words that pushed most for and against the class</source>
        <translation>Orden som drog mest för och emot klassen</translation>
    </message>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="102"/>
        <source>attribution</source>
        <translation>bidrag</translation>
    </message>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="179"/>
        <source>&lt;span style=&quot;background-color:%1&quot;&gt;&amp;nbsp;for %2&amp;nbsp;&lt;/span&gt; &lt;span style=&quot;background-color:%3&quot;&gt;&amp;nbsp;against&amp;nbsp;&lt;/span&gt; Integrated Gradients from an all-[PAD] text, %4 steps, %5 ms.</source>
        <translation>&lt;span style=&quot;background-color:%1&quot;&gt;&amp;nbsp;för %2&amp;nbsp;&lt;/span&gt; &lt;span style=&quot;background-color:%3&quot;&gt;&amp;nbsp;emot&amp;nbsp;&lt;/span&gt; Integrated Gradients från en text av bara [PAD], %4 steg, %5 ms.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/explanation_view.cpp" line="187"/>
        <source>The attributions miss %1 % of the logit&apos;s change: more steps would be more exact.</source>
        <translation>Attributionerna missar %1 % av logitens förändring: fler steg vore exaktare.</translation>
    </message>
</context>
<context>
    <name>fika::ui::ImportColumnsDialog</name>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="18"/>
        <source>comma (,)</source>
        <translation>kommatecken (,)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="19"/>
        <source>semicolon (;)</source>
        <translation>semikolon (;)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="20"/>
        <source>tab</source>
        <translation>tabb</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="28"/>
        <source>Import %1</source>
        <translation>Importera %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="30"/>
        <source>Fields separated by a %1 (detected); %n column(s).</source>
        <translation>
            <numerusform>Fälten avgränsas med %1 (upptäckt); %n kolumn.</numerusform>
            <numerusform>Fälten avgränsas med %1 (upptäckt); %n kolumner.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="44"/>
        <source>The input: guessed as the column with the longest texts</source>
        <translation>Indata: gissad som kolumnen med de längsta texterna</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="45"/>
        <source>The target: guessed as the column with the fewest distinct values</source>
        <translation>Målet: gissat som kolumnen med minst antal olika värden</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="46"/>
        <source>&amp;Text column:</source>
        <translation>&amp;Textkolumn:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="47"/>
        <source>&amp;Label column:</source>
        <translation>&amp;Etikettkolumn:</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="53"/>
        <source>&amp;Import</source>
        <translation>&amp;Importera</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="66"/>
        <source>The file needs at least two columns: a text and a label. Is it a CSV?</source>
        <translation>Filen behöver minst två kolumner: en text och en etikett. Är det en CSV-fil?</translation>
    </message>
    <message>
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="68"/>
        <source>The text and the label must be different columns.</source>
        <translation>Texten och etiketten måste vara olika kolumner.</translation>
    </message>
</context>
<context>
    <name>fika::ui::LengthHistogram</name>
    <message>
        <location filename="../ui/datasets/length_histogram.cpp" line="23"/>
        <source>tokens per text ([CLS] and [SEP] included)</source>
        <translation>token per text ([CLS] och [SEP] inräknade)</translation>
    </message>
    <message>
        <location filename="../ui/datasets/length_histogram.cpp" line="25"/>
        <source>texts</source>
        <translation>texter</translation>
    </message>
    <message>
        <location filename="../ui/datasets/length_histogram.cpp" line="74"/>
        <source>Import a dataset to see its token lengths.</source>
        <translation>Importera en datamängd för att se dess tokenlängder.</translation>
    </message>
    <message>
        <location filename="../ui/datasets/length_histogram.cpp" line="77"/>
        <source>%1 cuts %2 % of the texts (mean %3, median %4, 90th percentile %5, longest %6 tokens)</source>
        <translation>%1 kortar %2 % av texterna (medel %3, median %4, 90:e percentilen %5, längsta %6 token)</translation>
    </message>
</context>
<context>
    <name>fika::ui::MainWindow</name>
    <message>
        <location filename="../ui/main_window.cpp" line="40"/>
        <source>Fika</source>
        <translation>Fika</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="64"/>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="65"/>
        <source>Datasets</source>
        <translation>Datamängder</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="66"/>
        <source>Modeling</source>
        <translation>Modellering</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="67"/>
        <source>Evaluation</source>
        <translation>Utvärdering</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="68"/>
        <source>Deployment</source>
        <translation>Driftsättning</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="70"/>
        <source>Tester</source>
        <translation>Testare</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="80"/>
        <source>Fika — %1</source>
        <translation>Fika — %1</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="93"/>
        <source>Fika %1 — LibTorch %2, %3 compute threads</source>
        <translation>Fika %1 — LibTorch %2, %3 beräkningstrådar</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="115"/>
        <source>&amp;File</source>
        <translation>&amp;Arkiv</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="116"/>
        <source>&amp;New project…</source>
        <translation>&amp;Nytt projekt…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="117"/>
        <source>&amp;Open project…</source>
        <translation>&amp;Öppna projekt…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>&amp;Import dataset…</source>
        <translation>&amp;Importera datamängd…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="118"/>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>Data &amp;library…</source>
        <translation>Data&amp;bibliotek…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="122"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="131"/>
        <source>&amp;Preferences…</source>
        <translation>&amp;Inställningar…</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="136"/>
        <source>The new language takes effect when Fika restarts.</source>
        <translation>Det nya språket gäller när Fika startas om.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="146"/>
        <source>&amp;Quit</source>
        <translation>&amp;Avsluta</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="147"/>
        <source>&amp;View</source>
        <translation>&amp;Visa</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="153"/>
        <source>&amp;Help</source>
        <translation>&amp;Hjälp</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="154"/>
        <source>&amp;User guide</source>
        <translation>&amp;Användarhandbok</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="159"/>
        <source>&amp;About Fika</source>
        <translation>&amp;Om Fika</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="160"/>
        <source>About Fika</source>
        <translation>Om Fika</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="161"/>
        <source>&lt;b&gt;Fika %1&lt;/b&gt;&lt;p&gt;A desktop studio for fine-tuning BERT text classifiers.&lt;/p&gt;&lt;p&gt;LibTorch %2. GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Fika %1&lt;/b&gt;&lt;p&gt;En skrivbordsstudio för finjustering av BERT-textklassificerare.&lt;/p&gt;&lt;p&gt;LibTorch %2. GPL-3.0-or-later.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="213"/>
        <location filename="../ui/main_window.cpp" line="237"/>
        <source>Training is running</source>
        <translation>Träningen pågår</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="214"/>
        <source>Stop the training in the Modeling view before switching projects.</source>
        <translation>Stoppa träningen i vyn Modellering innan du byter projekt.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="220"/>
        <location filename="../ui/main_window.cpp" line="244"/>
        <source>A deployment is running</source>
        <translation>En driftsättning körs</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="221"/>
        <source>%1 still serves this project&apos;s model. Stop it, or keep it serving while you work on the other project?</source>
        <translation>%1 betjänar fortfarande det här projektets modell. Stoppa den, eller låt den fortsätta medan du arbetar i det andra projektet?</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="225"/>
        <source>&amp;Stop the deployment</source>
        <translation>&amp;Stoppa driftsättningen</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="226"/>
        <source>&amp;Keep serving</source>
        <translation>&amp;Fortsätt betjäna</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="238"/>
        <source>Stop the training and quit? It stops within one batch, and Resume continues from there.</source>
        <translation>Stoppa träningen och avsluta? Den stannar inom en batch, och Återuppta fortsätter därifrån.</translation>
    </message>
    <message>
        <location filename="../ui/main_window.cpp" line="245"/>
        <source>Quitting stops the deployment at %1: its clients get no more answers. Quit?</source>
        <translation>Att avsluta stoppar driftsättningen på %1: dess klienter får inga fler svar. Avsluta?</translation>
    </message>
</context>
<context>
    <name>fika::ui::MetricsFollower</name>
    <message>
        <location filename="../ui/training/metrics_follower.cpp" line="168"/>
        <source>%1: line %2: %3</source>
        <translation>%1: rad %2: %3</translation>
    </message>
</context>
<context>
    <name>fika::ui::MisclassifiedBrowser</name>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="58"/>
        <source>True</source>
        <translation>Sann</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="58"/>
        <source>Predicted</source>
        <translation>Förutsagd</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="58"/>
        <source>Confidence</source>
        <translation>Säkerhet</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="58"/>
        <source>Review</source>
        <translation>Recension</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="82"/>
        <source>Explaining the review: Integrated Gradients, 32 passes through the model</source>
        <translation>Förklarar recensionen: Integrated Gradients, 32 pass genom modellen</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="171"/>
        <source>The misclassified validation reviews are listed once the checkpoint&apos;s predictions are computed.</source>
        <translation>De felklassade valideringsrecensionerna listas när kontrollpunktens förutsägelser är beräknade.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="173"/>
        <source>No validation review is misclassified.</source>
        <translation>Ingen valideringsrecension är felklassad.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="175"/>
        <source>%1 of %2 validation reviews misclassified, the most confidently wrong first. Select one to see which words made the prediction.</source>
        <translation>%1 av %2 valideringsrecensioner felklassade, de mest säkert felaktiga först. Välj en för att se vilka ord som gav förutsägelsen.</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="234"/>
        <location filename="../ui/evaluation/misclassified_browser.cpp" line="252"/>
        <source>&lt;span style=&apos;color:#c0392b&apos;&gt;%1&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c0392b&apos;&gt;%1&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>fika::ui::ModelingView</name>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="86"/>
        <source>New experiment…</source>
        <translation>Nytt experiment…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="87"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="88"/>
        <source>Choose a dataset version, the BERT snippet and its initial weights (Ctrl+E)</source>
        <translation>Välj en datamängdsversion, BERT-snutten och dess startvikter (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="91"/>
        <source>Settings: tutorial</source>
        <translation>Inställningar: handledning</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="92"/>
        <source>Settings: recommended</source>
        <translation>Inställningar: rekommenderade</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="93"/>
        <source>Settings: from scratch</source>
        <translation>Inställningar: från grunden</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="94"/>
        <source>Settings: custom</source>
        <translation>Inställningar: egna</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="97"/>
        <source>Tutorial: batch 6, 2 epochs, learning rate 0.000001, constant.
Recommended: learning rate 2e-5, 10 % warm-up then linear decay, weight decay 0.01.
From scratch (random weights): batch 32, 4 epochs, learning rate 5e-4, 10 % warm-up.</source>
        <translation>Handledning: batch 6, 2 epoker, inlärningstakt 0,000001, konstant.
Rekommenderad: inlärningstakt 2e-5, 10 % uppvärmning och sedan linjär avtagning, viktavtagning 0,01.
Från grunden (slumpvikter): batch 32, 4 epoker, inlärningstakt 5e-4, 10 % uppvärmning.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="110"/>
        <source>Training settings</source>
        <translation>Träningsinställningar</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="132"/>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="133"/>
        <source>Linear warm-up, then linear decay</source>
        <translation>Linjär uppvärmning, sedan linjär avklingning</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="145"/>
        <source>All cores</source>
        <translation>Alla kärnor</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="147"/>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="148"/>
        <source>bf16 (mixed)</source>
        <translation>bf16 (blandad)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="150"/>
        <source>bf16 trains about 2.4× faster on CPUs with bf16 units, keeping float32 master weights; the epoch estimate below counts it. fp32 is the exact choice.</source>
        <translation>bf16 tränar cirka 2,4× snabbare på processorer med bf16-enheter och behåller huvudvikterna i float32; epoktiden som uppskattas nedan räknar med det. fp32 är det exakta valet.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="152"/>
        <source>&amp;Batch size:</source>
        <translation>&amp;Batchstorlek:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="153"/>
        <source>&amp;Epochs:</source>
        <translation>&amp;Epoker:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="154"/>
        <source>&amp;Learning rate:</source>
        <translation>&amp;Inlärningstakt:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="155"/>
        <source>S&amp;chedule:</source>
        <translation>S&amp;chema:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="156"/>
        <source>&amp;Warm-up:</source>
        <translation>Uppvär&amp;mning:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="157"/>
        <source>Weight &amp;decay:</source>
        <translation>Viktavkli&amp;ngning:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="158"/>
        <source>&amp;Seed:</source>
        <translation>&amp;Frö:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="159"/>
        <source>&amp;Threads:</source>
        <translation>&amp;Trådar:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="160"/>
        <source>&amp;Precision:</source>
        <translation>&amp;Precision:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="172"/>
        <source>1 trains inside Fika. More start fika-cli train with that many processes, which share this computer&apos;s cores and each take an equal share of every batch.</source>
        <translation>1 tränar inne i Fika. Fler startar fika-cli train med så många processer, som delar datorns kärnor och tar var sin lika stor del av varje batch.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="174"/>
        <source>Commands for several machines…</source>
        <translation>Kommandon för flera datorer…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="175"/>
        <source>The fika-cli commands that run this experiment on several machines</source>
        <translation>fika-cli-kommandona som kör experimentet på flera datorer</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="182"/>
        <source>Dev&amp;ice:</source>
        <translation>E&amp;nhet:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="222"/>
        <source>&amp;Run</source>
        <translation>&amp;Kör</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="225"/>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/modeling/modeling_view.cpp" line="423"/>
        <source>Checkpoints take about %1 on disk (the last %2 of %n epoch(s) kept, training.keep_epoch_checkpoints).</source>
        <translation>
            <numerusform>Kontrollpunkterna tar ungefär %1 på disken (de senaste %2 av %n epok behålls, training.keep_epoch_checkpoints).</numerusform>
            <numerusform>Kontrollpunkterna tar ungefär %1 på disken (de senaste %2 av %n epoker behålls, training.keep_epoch_checkpoints).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/modeling/modeling_view.cpp" line="427"/>
        <source>Checkpoints take about %1 on disk (%n epoch(s); training.keep_epoch_checkpoints limits it).</source>
        <translation>
            <numerusform>Kontrollpunkterna tar ungefär %1 på disken (%n epok; training.keep_epoch_checkpoints begränsar det).</numerusform>
            <numerusform>Kontrollpunkterna tar ungefär %1 på disken (%n epoker; training.keep_epoch_checkpoints begränsar det).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="435"/>
        <source>The checkpoints need up to %1 on disk while the run writes them, and the disk of %2 has %3 free: set training.keep_epoch_checkpoints (1 keeps only the newest epoch), fewer epochs, or free some space.</source>
        <translation>Kontrollpunkterna behöver upp till %1 på disken medan körningen skriver dem, och disken för %2 har %3 ledigt: ange training.keep_epoch_checkpoints (1 behåller bara den senaste epoken), färre epoker, eller frigör utrymme.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="483"/>
        <location filename="../ui/modeling/modeling_view.cpp" line="789"/>
        <source>The run finished all its epochs; raise Epochs to continue it</source>
        <translation>Körningen har gjort alla sina epoker; höj Epoker för att fortsätta den</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="644"/>
        <source>%1 processes on GPUs need %1 GPUs, one each (process i trains on GPU i); this computer has %2. Choose at most %2 processes, or the CPU.</source>
        <translation>%1 processer på GPU:er behöver %1 GPU:er, en var (process i tränar på GPU i); den här datorn har %2. Välj högst %2 processer, eller processorn.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="694"/>
        <source>CPU</source>
        <translation>Processor (CPU)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="697"/>
        <source>GPU %1 — %2, %3 GB</source>
        <translation>GPU %1 — %2, %3 GB</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="704"/>
        <source>With %1 or more processes on this computer, process %2 trains on this GPU</source>
        <translation>Med %1 eller fler processer på den här datorn tränar process %2 på den här GPU:n</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="710"/>
        <source>GPU — not available here</source>
        <translation>GPU — finns inte här</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="717"/>
        <source>Where training runs. With several processes on this computer, process i trains on GPU i.</source>
        <translation>Var träningen körs. Med flera processer på den här datorn tränar process i på GPU i.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="720"/>
        <source>No GPU found: this Fika&apos;s LibTorch has CUDA but sees no GPU (check the driver and CUDA_VISIBLE_DEVICES). Training runs on the CPU.</source>
        <translation>Ingen GPU hittades: den här Fikas LibTorch har CUDA men ser ingen GPU (kontrollera drivrutinen och CUDA_VISIBLE_DEVICES). Träningen körs på processorn.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="722"/>
        <source>No GPU: this Fika&apos;s LibTorch was built without CUDA, so training runs on the CPU. A CUDA build of Fika lists the GPUs here.</source>
        <translation>Ingen GPU: den här Fikas LibTorch byggdes utan CUDA, så träningen körs på processorn. En CUDA-version av Fika listar GPU:erna här.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="732"/>
        <source>No GPU found: training runs on the CPU.</source>
        <translation>Ingen GPU hittades: träningen körs på processorn.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="733"/>
        <source>No GPU: this Fika&apos;s LibTorch was built without CUDA, so training runs on the CPU.</source>
        <translation>Ingen GPU: den här Fikas LibTorch byggdes utan CUDA, så träningen körs på processorn.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="735"/>
        <source>Each process trains on its own GPU: GPUs 0–%1.</source>
        <translation>Varje process tränar på sin egen GPU: GPU:erna 0–%1.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="740"/>
        <source>This experiment trains on a GPU (training.device: cuda), but %1. Its config.yaml keeps cuda until you choose CPU here: Run as it is stops at once with an error.</source>
        <translation>Det här experimentet tränar på en GPU (training.device: cuda), men %1. Dess config.yaml behåller cuda tills du väljer processorn här: Kör som det är stoppar direkt med ett fel.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="742"/>
        <source>no GPU is found on this computer</source>
        <translation>ingen GPU hittas på den här datorn</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="743"/>
        <source>this Fika&apos;s LibTorch was built without CUDA</source>
        <translation>den här Fikas LibTorch byggdes utan CUDA</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="468"/>
        <source>fika-cli, which trains on several processes, is not at %1. Reinstall Fika, or train on 1 process.</source>
        <translation>fika-cli, som tränar på flera processer, finns inte i %1. Installera om Fika, eller träna på 1 process.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="472"/>
        <source>fika-cli is missing</source>
        <translation>fika-cli saknas</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="506"/>
        <source>Starting %1 processes…</source>
        <translation>Startar %1 processer…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="527"/>
        <source>Epoch %1, step %2 of %3, loss %4, %5 examples/s, about %6 left</source>
        <translation>Epok %1, steg %2 av %3, förlust %4, %5 exempel/s, cirka %6 kvar</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="545"/>
        <source>Validating… %p%</source>
        <translation>Validerar… %p%</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="547"/>
        <source>Validating… %1 (epoch %2 of %3, %4 of %5 examples), about %6 left</source>
        <translation>Validerar… %1 (epok %2 av %3, %4 av %5 exempel), cirka %6 kvar</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="618"/>
        <source>Stopped before the first batch: nothing was trained</source>
        <translation>Stoppad före första batchen: inget tränades</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="639"/>
        <source>%1 processes cannot share a batch of %2 equally: choose a divisor of %2, or another batch size.</source>
        <translation>%1 processer kan inte dela en batch på %2 lika: välj en delare till %2, eller en annan batchstorlek.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="223"/>
        <source>Train from the initial weights (Alt+R or F5)</source>
        <translation>Träna från startvikterna (Alt+K eller F5)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="74"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="179"/>
        <source>Processes on this c&amp;omputer:</source>
        <translation>Processer på denna &amp;dator:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="227"/>
        <source>S&amp;top</source>
        <translation>S&amp;toppa</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="228"/>
        <source>Stop after the current batch; the run can be resumed</source>
        <translation>Stoppa efter aktuell batch; körningen kan återupptas</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="229"/>
        <source>Res&amp;ume</source>
        <translation>Åter&amp;uppta</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="230"/>
        <location filename="../ui/modeling/modeling_view.cpp" line="790"/>
        <source>Continue the stopped run from its last checkpoint</source>
        <translation>Fortsätt den stoppade körningen från dess senaste kontrollpunkt</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="244"/>
        <source>Training messages appear here.</source>
        <translation>Träningsmeddelanden visas här.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="277"/>
        <source>&lt;h2&gt;Modeling&lt;/h2&gt;No experiment yet: import a dataset, save a version, then click &lt;b&gt;New experiment…&lt;/b&gt;</source>
        <translation>&lt;h2&gt;Modellering&lt;/h2&gt;Inga experiment än: importera en datamängd, spara en version och klicka sedan på &lt;b&gt;Nytt experiment…&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="281"/>
        <source>&lt;h2&gt;%1&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;%1&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="406"/>
        <source>the CPU</source>
        <translation>processorn</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="407"/>
        <source>a GPU (none here)</source>
        <translation>en GPU (ingen här)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="408"/>
        <source>each of %1 GPUs (%2)</source>
        <translation>var och en av %1 GPU:er (%2)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="409"/>
        <source>GPU 0 (%1)</source>
        <translation>GPU 0 (%1)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="411"/>
        <source>Estimated peak memory %1 on %2; an epoch takes about %3%4 (%5).</source>
        <translation>Uppskattat största minnesbehov %1 på %2; en epok tar ungefär %3%4 (%5).</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="412"/>
        <source>%1 of %2</source>
        <translation>%1 av %2</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="415"/>
        <source> for %1 training examples</source>
        <translation> för %1 träningsexempel</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="416"/>
        <source> per 1,000 training examples</source>
        <translation> per 1 000 träningsexempel</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="417"/>
        <source>timed on this machine</source>
        <translation>uppmätt på den här datorn</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="417"/>
        <source>a first guess until training has run here</source>
        <translation>en första gissning tills träning har körts här</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="478"/>
        <source>Run again?</source>
        <translation>Kör igen?</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="479"/>
        <source>This experiment has results. Running again replaces its checkpoints and curves.</source>
        <translation>Experimentet har resultat. En ny körning ersätter dess kontrollpunkter och kurvor.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="493"/>
        <source>Preparing data and model…</source>
        <translation>Förbereder data och modell…</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="573"/>
        <source>Epoch %1: the model is learning nothing. Its training loss %2 is still ln(%3) = %4, what guessing scores, and it predicts “%5” for %6 of the validation texts. %7</source>
        <translation>Epok %1: modellen lär sig ingenting. Dess träningsförlust %2 är fortfarande ln(%3) = %4, vad gissning ger, och den förutsäger ”%5” för %6 av valideringstexterna. %7</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="580"/>
        <source>From random weights a model needs many steps before it learns: let it train on (the from-scratch preset runs 4 epochs), or give it more data.</source>
        <translation>Från slumpmässiga vikter behöver en modell många steg innan den lär sig: låt den träna vidare (förinställningen från grunden kör 4 epoker), eller ge den mer data.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="582"/>
        <source>Random weights need a higher learning rate: stop, choose Settings: from scratch and run again.</source>
        <translation>Slumpvikter behöver en högre inlärningstakt: stoppa, välj Inställningar: från grunden och kör igen.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="584"/>
        <source>Check the learning rate (2e-5 suits pretrained BERT) and the labels.</source>
        <translation>Kontrollera inlärningstakten (2e-5 passar förtränad BERT) och etiketterna.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="591"/>
        <source>Epoch %1: the model learns now: validation accuracy %2, training loss %3 (guessing scores ln(%4) = %5).</source>
        <translation>Epok %1: modellen lär sig nu: valideringsträffsäkerhet %2, träningsförlust %3 (gissning ger ln(%4) = %5).</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="600"/>
        <source>Epoch %1 of %2: training loss %3, validation loss %4, accuracy %5%6</source>
        <translation>Epok %1 av %2: träningsförlust %3, valideringsförlust %4, träffsäkerhet %5%6</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="606"/>
        <source> (best so far)</source>
        <translation> (bästa hittills)</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="612"/>
        <location filename="../ui/modeling/modeling_view.cpp" line="614"/>
        <source>Training failed</source>
        <translation>Träningen misslyckades</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="619"/>
        <source>Stopped: Resume continues from the last checkpoint</source>
        <translation>Stoppad: Återuppta fortsätter från den senaste kontrollpunkten</translation>
    </message>
    <message>
        <location filename="../ui/modeling/modeling_view.cpp" line="616"/>
        <source>Finished: see the Evaluation view</source>
        <translation>Klar: se vyn Utvärdering</translation>
    </message>
</context>
<context>
    <name>fika::ui::NewProjectDialog</name>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="33"/>
        <source>New project</source>
        <translation>Nytt projekt</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="38"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Bläddra…</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="41"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Mapp:</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="48"/>
        <source>&amp;Create</source>
        <translation>&amp;Skapa</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="57"/>
        <source>New project: choose a folder</source>
        <translation>Nytt projekt: välj en mapp</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="78"/>
        <source>The folder does not exist yet: Fika creates it.</source>
        <translation>Mappen finns inte än: Fika skapar den.</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="80"/>
        <source>This folder already holds a Fika project: use Open project instead.</source>
        <translation>Mappen innehåller redan ett Fika-projekt: använd Öppna projekt i stället.</translation>
    </message>
    <message>
        <location filename="../ui/project/new_project_dialog.cpp" line="82"/>
        <source>Fika keeps the project&apos;s datasets and experiments in this folder.</source>
        <translation>Fika sparar projektets datamängder och experiment i den här mappen.</translation>
    </message>
</context>
<context>
    <name>fika::ui::PreferencesDialog</name>
    <message>
        <location filename="../ui/preferences_dialog.cpp" line="16"/>
        <source>Preferences</source>
        <translation>Inställningar</translation>
    </message>
    <message>
        <location filename="../ui/preferences_dialog.cpp" line="19"/>
        <source>System default</source>
        <translation>Systemets standard</translation>
    </message>
    <message>
        <location filename="../ui/preferences_dialog.cpp" line="23"/>
        <source>&amp;Language:</source>
        <translation>&amp;Språk:</translation>
    </message>
    <message>
        <location filename="../ui/preferences_dialog.cpp" line="28"/>
        <source>&amp;Restart now</source>
        <translation>Starta &amp;om nu</translation>
    </message>
    <message>
        <location filename="../ui/preferences_dialog.cpp" line="51"/>
        <source>The new language takes effect when Fika restarts: until then the window keeps its current language. Restart now, or keep working and it applies next time.</source>
        <translation>Det nya språket gäller när Fika startas om: till dess behåller fönstret sitt nuvarande språk. Starta om nu, eller fortsätt arbeta så gäller det nästa gång.</translation>
    </message>
    <message>
        <location filename="../ui/preferences_dialog.cpp" line="53"/>
        <source>The whole window uses the new language after Fika restarts.</source>
        <translation>Hela fönstret använder det nya språket efter att Fika startats om.</translation>
    </message>
</context>
<context>
    <name>fika::ui::ProjectView</name>
    <message>
        <location filename="../ui/project/project_view.cpp" line="21"/>
        <source>&lt;h2&gt;Fika&lt;/h2&gt;&lt;p&gt;Fine-tune BERT text classifiers without writing code: import labelled texts, choose how they are encoded, train, evaluate and deploy.&lt;/p&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Datasets&lt;/b&gt;: import a CSV (e.g. IMDB reviews with &lt;i&gt;review&lt;/i&gt; and &lt;i&gt;sentiment&lt;/i&gt; columns), pick a sequence length, save a version.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Modeling&lt;/b&gt;: New experiment, check the settings, Run.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Evaluation&lt;/b&gt;: loss curves, accuracy and the confusion matrix.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Deployment&lt;/b&gt;: try the model on your own text.&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;h2&gt;Fika&lt;/h2&gt;&lt;p&gt;Finjustera BERT-textklassificerare utan att skriva kod: importera märkta texter, välj hur de kodas, träna, utvärdera och driftsätt.&lt;/p&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Datamängder&lt;/b&gt;: importera en CSV (t.ex. IMDB-recensioner med kolumnerna &lt;i&gt;review&lt;/i&gt; och &lt;i&gt;sentiment&lt;/i&gt;), välj en sekvenslängd, spara en version.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Modellering&lt;/b&gt;: Nytt experiment, kontrollera inställningarna, Kör.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Utvärdering&lt;/b&gt;: förlustkurvor, träffsäkerhet och förväxlingsmatrisen.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Driftsättning&lt;/b&gt;: prova modellen på din egen text.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="33"/>
        <source>&amp;New project…</source>
        <translation>&amp;Nytt projekt…</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="35"/>
        <source>&amp;Open project…</source>
        <translation>&amp;Öppna projekt…</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="45"/>
        <source>Recent projects (double-click to open):</source>
        <translation>Senaste projekt (dubbelklicka för att öppna):</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="60"/>
        <source>No project open: datasets and experiments are kept in Fika&apos;s data folder until you create one.</source>
        <translation>Inget projekt öppet: datamängder och experiment sparas i Fikas datamapp tills du skapar ett.</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="63"/>
        <source>&lt;b&gt;%1&lt;/b&gt; in %2: %3 dataset versions, %4 experiments</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; i %2: %3 datamängdsversioner, %4 experiment</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="80"/>
        <source>Project not created</source>
        <translation>Projektet skapades inte</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="85"/>
        <source>Open project folder</source>
        <translation>Öppna projektmapp</translation>
    </message>
    <message>
        <location filename="../ui/project/project_view.cpp" line="88"/>
        <location filename="../ui/project/project_view.cpp" line="95"/>
        <source>Project not opened</source>
        <translation>Projektet öppnades inte</translation>
    </message>
</context>
<context>
    <name>fika::ui::ServerPanel</name>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="48"/>
        <source>any free port</source>
        <translation>valfri ledig port</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="49"/>
        <source>&amp;Enabled: serve on 127.0.0.1</source>
        <translation>Ak&amp;tiverad: servera på 127.0.0.1</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="50"/>
        <source>Starts or stops the local HTTP API</source>
        <translation>Startar eller stoppar det lokala HTTP-API:et</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="51"/>
        <location filename="../ui/deployment/server_panel.cpp" line="157"/>
        <location filename="../ui/deployment/server_panel.cpp" line="410"/>
        <source>Stopped</source>
        <translation>Stoppad</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="52"/>
        <source>E&amp;xperiment:</source>
        <translation>E&amp;xperiment:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="53"/>
        <source>&amp;Checkpoint:</source>
        <translation>&amp;Kontrollpunkt:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="54"/>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="59"/>
        <source>bf16 (about 2× faster)</source>
        <translation>bf16 (cirka 2× snabbare)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="60"/>
        <source>bf16 answers about twice as fast on CPUs with bf16 units; probabilities differ in the third decimal, so a text right at the decision boundary can rarely change class.</source>
        <translation>bf16 svarar ungefär dubbelt så snabbt på processorer med bf16-enheter; sannolikheterna skiljer sig i tredje decimalen, så en text precis vid beslutsgränsen kan i sällsynta fall byta klass.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="69"/>
        <source>bf16: about 2× faster here; probabilities differ in the third decimal.</source>
        <translation>bf16: cirka 2× snabbare här; sannolikheterna skiljer sig i tredje decimalen.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="87"/>
        <location filename="../ui/deployment/server_panel.cpp" line="142"/>
        <source>Show</source>
        <translation>Visa</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="142"/>
        <source>Hide</source>
        <translation>Dölj</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="148"/>
        <source>Regenerate the token?</source>
        <translation>Skapa en ny token?</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="149"/>
        <source>Programs and pages that use the current token will be refused until they get the new one.</source>
        <translation>Program och sidor som använder den nuvarande token nekas tills de får den nya.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="89"/>
        <source>Copy</source>
        <translation>Kopiera</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="58"/>
        <source>fp32 (exact)</source>
        <translation>fp32 (exakt)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="70"/>
        <source>bf16 needs a CPU with bf16 units (AVX512-BF16), which this one lacks: it would be slower than fp32 here.</source>
        <translation>bf16 kräver en processor med bf16-enheter (AVX512-BF16), och sådana saknar den här: bf16 skulle gå långsammare än fp32 här.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="75"/>
        <source>P&amp;recision:</source>
        <translation>P&amp;recision:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="90"/>
        <source>Regenerate</source>
        <translation>Skapa ny</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="91"/>
        <source>A new random token; the old one stops working</source>
        <translation>En ny slumpad token; den gamla slutar fungera</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="103"/>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="104"/>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="105"/>
        <source>Input → output:</source>
        <translation>Indata → utdata:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="108"/>
        <source>&lt;b&gt;Code examples&lt;/b&gt;</source>
        <translation>&lt;b&gt;Kodexempel&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="117"/>
        <source>Copy command</source>
        <translation>Kopiera kommandot</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="118"/>
        <location filename="../ui/deployment/server_panel.cpp" line="225"/>
        <source>Test deployment</source>
        <translation>Testa driftsättningen</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="119"/>
        <source>Opens the browser API tester page served by the deployment</source>
        <translation>Öppnar webbläsarsidan för API-test som driftsättningen serverar</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="128"/>
        <source>Requests appear here: method, path, status, milliseconds.</source>
        <translation>Anrop visas här: metod, sökväg, status, millisekunder.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="226"/>
        <source>Couldn&apos;t open a web browser. Open %1 in a browser yourself; the page asks for the token shown here.</source>
        <translation>Kunde inte öppna en webbläsare. Öppna %1 i en webbläsare själv; sidan frågar efter nyckeln som visas här.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="233"/>
        <source>Copy address</source>
        <translation>Kopiera adressen</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="289"/>
        <source>best epoch</source>
        <translation>bästa epoken</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="291"/>
        <source>last epoch</source>
        <translation>senaste epoken</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="310"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="333"/>
        <source>Choose an experiment with a checkpoint first.</source>
        <translation>Välj först ett experiment med en kontrollpunkt.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="342"/>
        <source>Loading %1…</source>
        <translation>Läser in %1…</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="394"/>
        <source>&lt;b&gt;Serving&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Serverar&lt;/b&gt; %1</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="450"/>
        <source>(created when the deployment is enabled)</source>
        <translation>(skapas när driftsättningen aktiveras)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/server_panel.cpp" line="457"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
</context>
<context>
    <name>fika::ui::SeveralMachinesDialog</name>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="40"/>
        <source>Commands for several machines</source>
        <translation>Kommandon för flera datorer</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="42"/>
        <source>Run one command on each machine, the first on the machine named below: the others connect to it on TCP port %1. Every machine needs Fika, the same data at the same path and this config file. With the run folder (output.dir) on a disk they all share, --resume added to every command continues a stopped run, and this computer shows the curves in the Evaluation view as they are written.</source>
        <translation>Kör ett kommando på varje dator, det första på datorn som anges nedan: de andra ansluter till den på TCP-port %1. Varje dator behöver Fika, samma data på samma sökväg och den här konfigurationsfilen. Med körningens mapp (output.dir) på en disk som alla delar fortsätter --resume, tillagt i varje kommando, en stoppad körning, och den här datorn visar kurvorna i Utvärderingsvyn allteftersom de skrivs.</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="60"/>
        <source>The name or IP address of the first machine (node rank 0) as the others reach it</source>
        <translation>Namnet eller IP-adressen till den första datorn (nodrang 0) som de andra når den på</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="61"/>
        <source>&amp;Machines:</source>
        <translation>&amp;Datorer:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="62"/>
        <source>&amp;Processes on each machine:</source>
        <translation>&amp;Processer på varje dator:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="63"/>
        <source>&amp;Address of the first machine:</source>
        <translation>&amp;Adress till den första datorn:</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="71"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopiera</translation>
    </message>
    <message>
        <location filename="../ui/modeling/several_machines_dialog.cpp" line="72"/>
        <source>Copies every command to the clipboard</source>
        <translation>Kopierar alla kommandon till urklipp</translation>
    </message>
</context>
<context>
    <name>fika::ui::Studio</name>
    <message>
        <location filename="../ui/studio.cpp" line="86"/>
        <source>The last project, %1, could not be reopened: %2</source>
        <translation>Det senaste projektet, %1, kunde inte öppnas igen: %2</translation>
    </message>
    <message>
        <location filename="../ui/studio.cpp" line="145"/>
        <source>%1 cannot be written. Choose a project folder you can write to.</source>
        <translation>%1 kan inte skrivas. Välj en projektmapp som du kan skriva till.</translation>
    </message>
</context>
<context>
    <name>fika::ui::TesterWidget</name>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="52"/>
        <source>The checkpoint that answers</source>
        <translation>Kontrollpunkten som svarar</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="53"/>
        <source>Checkpoint:</source>
        <translation>Kontrollpunkt:</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="57"/>
        <source>Type or paste a review, then press Play (Ctrl+Return)</source>
        <translation>Skriv eller klistra in en recension och tryck sedan på Spela (Ctrl+Retur)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="63"/>
        <source>▶ Play</source>
        <translation>▶ Spela</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="64"/>
        <source>Predict the class of the text (Ctrl+Return)</source>
        <translation>Förutsäg textens klass (Ctrl+Retur)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="68"/>
        <source>Explain</source>
        <translation>Förklara</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="69"/>
        <source>Which words made the prediction: Integrated Gradients, 32 steps from a text of [PAD] tokens</source>
        <translation>Vilka ord som gav förutsägelsen: Integrated Gradients, 32 steg från en text av [PAD]-token</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="75"/>
        <source>Explain every prediction</source>
        <translation>Förklara varje förutsägelse</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="76"/>
        <source>Play also explains which words made the prediction (slower: 32 more passes)</source>
        <translation>Spela förklarar också vilka ord som gav förutsägelsen (långsammare: 32 pass till)</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="84"/>
        <source>probability</source>
        <translation>sannolikhet</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="154"/>
        <source>best epoch</source>
        <translation>bästa epoken</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="156"/>
        <source>last epoch</source>
        <translation>senaste epoken</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="163"/>
        <source>No checkpoint yet: train the experiment first.</source>
        <translation>Ingen kontrollpunkt än: träna först experimentet.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="179"/>
        <source>Tests &lt;b&gt;%1&lt;/b&gt;: the deployed checkpoint.</source>
        <translation>Testar &lt;b&gt;%1&lt;/b&gt;: den driftsatta kontrollpunkten.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="180"/>
        <source>Tests &lt;b&gt;%1&lt;/b&gt;: the checkpoint chosen for deployment, not served yet.</source>
        <translation>Testar &lt;b&gt;%1&lt;/b&gt;: kontrollpunkten som valts för driftsättning, ännu inte serverad.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="183"/>
        <source>Tests &lt;b&gt;%1&lt;/b&gt;, the experiment open in Modeling.</source>
        <translation>Testar &lt;b&gt;%1&lt;/b&gt;, experimentet som är öppet i Modellering.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="215"/>
        <source>Loading %1…</source>
        <translation>Läser in %1…</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="237"/>
        <location filename="../ui/deployment/tester_widget.cpp" line="309"/>
        <location filename="../ui/deployment/tester_widget.cpp" line="369"/>
        <source>&lt;span style=&apos;color:#c0392b&apos;&gt;%1&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c0392b&apos;&gt;%1&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="248"/>
        <source>Ready.</source>
        <translation>Klar.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="248"/>
        <source>Ready (bf16).</source>
        <translation>Klar (bf16).</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="275"/>
        <source>Type a text first.</source>
        <translation>Skriv först en text.</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="322"/>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) in %3 ms</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (%2) på %3 ms</translation>
    </message>
    <message>
        <location filename="../ui/deployment/tester_widget.cpp" line="322"/>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) in %3 ms with bf16</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (%2) på %3 ms med bf16</translation>
    </message>
</context>
<context>
    <name>fika::ui::TrainingCharts</name>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="82"/>
        <source>Training loss per step</source>
        <translation>Träningsförlust per steg</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="82"/>
        <source>step</source>
        <translation>steg</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="82"/>
        <location filename="../ui/evaluation/training_charts.cpp" line="83"/>
        <source>loss</source>
        <translation>förlust</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="83"/>
        <source>Loss per epoch</source>
        <translation>Förlust per epok</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="83"/>
        <location filename="../ui/evaluation/training_charts.cpp" line="84"/>
        <source>epoch</source>
        <translation>epok</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="84"/>
        <source>Validation accuracy</source>
        <translation>Valideringens träffsäkerhet</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="84"/>
        <source>accuracy</source>
        <translation>träffsäkerhet</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="104"/>
        <source>raw</source>
        <translation>rå</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="105"/>
        <source>smoothed</source>
        <translation>utjämnad</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="113"/>
        <source>training</source>
        <translation>träning</translation>
    </message>
    <message>
        <location filename="../ui/evaluation/training_charts.cpp" line="114"/>
        <location filename="../ui/evaluation/training_charts.cpp" line="115"/>
        <source>validation</source>
        <translation>validering</translation>
    </message>
</context>
<context>
    <name>fika::ui::TrainingController</name>
    <message>
        <location filename="../ui/training/training_controller.cpp" line="256"/>
        <source>fika-cli train ended abruptly (killed by a signal).</source>
        <translation>fika-cli train avslutades abrupt (dödades av en signal).</translation>
    </message>
    <message>
        <location filename="../ui/training/training_controller.cpp" line="257"/>
        <source>fika-cli train failed (exit status %1).</source>
        <translation>fika-cli train misslyckades (slutstatus %1).</translation>
    </message>
    <message>
        <location filename="../ui/training/training_controller.cpp" line="265"/>
        <source>%1 cannot be started: %2</source>
        <translation>%1 kan inte startas: %2</translation>
    </message>
</context>
<context>
    <name>fika::ui::UserGuideDialog</name>
    <message>
        <location filename="../ui/user_guide_dialog.cpp" line="16"/>
        <source>Fika user guide</source>
        <translation>Fikas användarhandbok</translation>
    </message>
</context>
</TS>
